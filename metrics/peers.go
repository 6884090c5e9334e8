package metrics

import "github.com/prometheus/client_golang/prometheus"

// connKinds are always reported, 0 when none, so that a dashboard's
// series do not vanish.
var connKinds = []string{"direct", "relayed", "lan"}

// peersCollector reports connected peers by connection kind at scrape time.
type peersCollector struct {
	desc  *prometheus.Desc
	count func() map[string]int
}

func (c peersCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c peersCollector) Collect(ch chan<- prometheus.Metric) {
	n := c.count()
	for _, k := range connKinds {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n[k]), k)
	}
	for k, v := range n {
		if k != "direct" && k != "relayed" && k != "lan" {
			ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(v), "other")
		}
	}
}
