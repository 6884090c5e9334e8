package node

// RoutingTableSize is the number of peers in the DHT's routing table; -1
// when the node runs no DHT.
func (n *Node) RoutingTableSize() int {
	if n.dht == nil {
		return -1
	}
	return n.dht.Size()
}
