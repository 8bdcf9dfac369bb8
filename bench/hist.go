package main

import (
	"math/bits"
	"time"
)

// histogram is a fixed-size log-linear latency histogram in the manner of HdrHistogram:
// values (nanoseconds) below 2^subBits are counted exactly; above, each power-of-two range is
// split into 2^(subBits-1) equal buckets, so every bucket is narrower than 1/64 of its values
// (about 1.6% precision) and memory stays constant however many values are recorded.
type histogram struct {
	counts [histBuckets]uint64
	total  uint64
	min    int64
	max    int64
	sum    int64
}

const (
	subBits     = 7                // 128 exact values, then 64 buckets per power of two
	subCount    = 1 << subBits     // 128
	halfCount   = subCount / 2     // 64
	maxExp      = 63 - subBits + 1 // shifts needed for the largest int64
	histBuckets = subCount + maxExp*halfCount
)

// bucketOf returns the bucket of v (v >= 0).
func bucketOf(v int64) int {
	if v < subCount {
		return int(v)
	}
	shift := bits.Len64(uint64(v)) - subBits // v>>shift is in [64, 128)
	return subCount + (shift-1)*halfCount + int(v>>shift) - halfCount
}

// bucketRange returns the smallest and largest value bucket b counts.
func bucketRange(b int) (lo, hi int64) {
	if b < subCount {
		return int64(b), int64(b)
	}
	shift := (b-subCount)/halfCount + 1
	m := int64((b-subCount)%halfCount + halfCount)
	lo = m << shift
	return lo, lo + (int64(1) << shift) - 1
}

func (h *histogram) record(d time.Duration) {
	v := int64(d)
	if v < 0 {
		v = 0
	}
	h.counts[bucketOf(v)]++
	if h.total == 0 || v < h.min {
		h.min = v
	}
	if v > h.max {
		h.max = v
	}
	h.total++
	h.sum += v
}

func (h *histogram) merge(o *histogram) {
	if o.total == 0 {
		return
	}
	for i, n := range o.counts {
		h.counts[i] += n
	}
	if h.total == 0 || o.min < h.min {
		h.min = o.min
	}
	if o.max > h.max {
		h.max = o.max
	}
	h.total += o.total
	h.sum += o.sum
}

// percentile returns the value at quantile q (0 < q <= 1): the upper end of the bucket holding
// the ceil(q*total)-th smallest value, clamped to the largest value recorded, as HdrHistogram
// reports it ("highest equivalent value").
func (h *histogram) percentile(q float64) time.Duration {
	if h.total == 0 {
		return 0
	}
	rank := uint64(q*float64(h.total) + 0.999999999)
	if rank < 1 {
		rank = 1
	}
	if rank > h.total {
		rank = h.total
	}
	var seen uint64
	for b, n := range h.counts {
		seen += n
		if seen >= rank {
			_, hi := bucketRange(b)
			return time.Duration(min(max(hi, h.min), h.max))
		}
	}
	return time.Duration(h.max)
}

func (h *histogram) mean() time.Duration {
	if h.total == 0 {
		return 0
	}
	return time.Duration(h.sum / int64(h.total))
}
