package gossip

import (
	"fmt"
	"strings"

	"github.com/mesocosm/mycel/protocol"
)

// Topic name parts: /mycel/1/d/<district>/entries.
const (
	topicPrefix = "/mycel/1/d/"
	topicSuffix = "/entries"
	globalName  = "_" // stands for the global district ""
)

// Topic returns the gossipsub topic of a district's entries. The global
// scope "" is spelled "_".
func Topic(district string) string {
	if district == "" {
		district = globalName
	}
	return topicPrefix + district + topicSuffix
}

// District parses a topic name back into its district.
func District(topic string) (string, error) {
	rest, ok := strings.CutPrefix(topic, topicPrefix)
	if ok {
		rest, ok = strings.CutSuffix(rest, topicSuffix)
	}
	if !ok {
		return "", fmt.Errorf("%w: %q", ErrTopic, topic)
	}
	if rest == globalName {
		return "", nil
	}
	if rest == "" || !protocol.ValidDistrict(rest) {
		return "", fmt.Errorf("%w: %q", ErrTopic, topic)
	}
	return rest, nil
}
