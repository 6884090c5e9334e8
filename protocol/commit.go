package protocol

// MaxEvidence bounds the evidence items one proof commits to.
const MaxEvidence = 1 << 16
