// Package profile reads a pprof profile, as runtime/pprof writes it (a
// gzipped protocol buffer, github.com/google/pprof's profile.proto), with
// the standard library only: the sample types, and for each sample its
// values and its stack as function names.
//
// It reads only what the tests of this module look at: no mappings, no
// addresses, no labels, no file names or line numbers.
package profile

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// A Profile is the part of a pprof profile that this package reads.
type Profile struct {
	SampleTypes []string // e.g. "alloc_objects", "alloc_space", "inuse_objects", "inuse_space"
	Samples     []Sample
}

// A Sample is one stack and its values, one per sample type.
type Sample struct {
	Values []int64
	// Stack lists function names, leaf first (the function that allocated,
	// in a heap profile), callers after it. Inlined calls are listed as
	// separate frames, as pprof shows them.
	Stack []string
}

// Index returns the position of sample type typ in Values, or -1.
func (p *Profile) Index(typ string) int {
	for i, t := range p.SampleTypes {
		if t == typ {
			return i
		}
	}
	return -1
}

// Parse reads a profile; data may be gzipped, as runtime/pprof writes it.
func Parse(data []byte) (*Profile, error) {
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		if data, err = io.ReadAll(zr); err != nil {
			return nil, err
		}
	}

	// Field numbers of profile.proto.
	const (
		profileSampleType  = 1
		profileSample      = 2
		profileLocation    = 4
		profileFunction    = 5
		profileStringTable = 6

		valueTypeType = 1

		sampleLocationID = 1
		sampleValue      = 2

		locationID   = 1
		locationLine = 4

		lineFunctionID = 1

		functionID   = 1
		functionName = 2
	)

	var (
		strs       []string
		typeIdx    []uint64
		rawSamples []struct{ locs, values []uint64 }
		locFuncs   = map[uint64][]uint64{} // location id -> function ids, innermost first
		funcNames  = map[uint64]uint64{}   // function id -> string index
	)
	err := fields(data, func(num int, v uint64, msg []byte) error {
		switch num {
		case profileStringTable:
			strs = append(strs, string(msg))
		case profileSampleType:
			return fields(msg, func(num int, v uint64, _ []byte) error {
				if num == valueTypeType {
					typeIdx = append(typeIdx, v)
				}
				return nil
			})
		case profileSample:
			var s struct{ locs, values []uint64 }
			err := fields(msg, func(num int, v uint64, packed []byte) error {
				var dst *[]uint64
				switch num {
				case sampleLocationID:
					dst = &s.locs
				case sampleValue:
					dst = &s.values
				default:
					return nil
				}
				if packed == nil {
					*dst = append(*dst, v)
					return nil
				}
				return varints(packed, dst)
			})
			rawSamples = append(rawSamples, s)
			return err
		case profileLocation:
			var id uint64
			var funcs []uint64
			err := fields(msg, func(num int, v uint64, line []byte) error {
				switch num {
				case locationID:
					id = v
				case locationLine:
					return fields(line, func(num int, v uint64, _ []byte) error {
						if num == lineFunctionID {
							funcs = append(funcs, v)
						}
						return nil
					})
				}
				return nil
			})
			locFuncs[id] = funcs
			return err
		case profileFunction:
			var id, name uint64
			err := fields(msg, func(num int, v uint64, _ []byte) error {
				switch num {
				case functionID:
					id = v
				case functionName:
					name = v
				}
				return nil
			})
			funcNames[id] = name
			return err
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the profile: %w", err)
	}

	str := func(i uint64) (string, error) {
		if i >= uint64(len(strs)) {
			return "", fmt.Errorf("string index %d out of range (%d strings)", i, len(strs))
		}
		return strs[i], nil
	}
	p := &Profile{}
	for _, i := range typeIdx {
		s, err := str(i)
		if err != nil {
			return nil, err
		}
		p.SampleTypes = append(p.SampleTypes, s)
	}
	for _, raw := range rawSamples {
		s := Sample{}
		for _, v := range raw.values {
			s.Values = append(s.Values, int64(v))
		}
		for _, loc := range raw.locs {
			funcs, ok := locFuncs[loc]
			if !ok {
				return nil, fmt.Errorf("sample refers to unknown location %d", loc)
			}
			for _, f := range funcs {
				name, err := str(funcNames[f])
				if err != nil {
					return nil, err
				}
				s.Stack = append(s.Stack, name)
			}
		}
		p.Samples = append(p.Samples, s)
	}
	return p, nil
}

// fields calls f for each field of the protocol buffer message msg: with
// its value for a varint field, with its bytes for a length-delimited one
// (a string, a message, or packed varints). Fixed-size fields are skipped.
func fields(msg []byte, f func(num int, v uint64, bytes []byte) error) error {
	for len(msg) > 0 {
		key, n := binary.Uvarint(msg)
		if n <= 0 {
			return errors.New("bad field key")
		}
		msg = msg[n:]
		num := int(key >> 3)
		switch key & 7 {
		case 0: // varint
			v, n := binary.Uvarint(msg)
			if n <= 0 {
				return errors.New("bad varint")
			}
			msg = msg[n:]
			if err := f(num, v, nil); err != nil {
				return err
			}
		case 1: // 64-bit
			if len(msg) < 8 {
				return errors.New("truncated 64-bit field")
			}
			msg = msg[8:]
		case 2: // length-delimited
			l, n := binary.Uvarint(msg)
			if n <= 0 || uint64(len(msg)-n) < l {
				return errors.New("bad length")
			}
			b := msg[n : n+int(l)]
			msg = msg[n+int(l):]
			if b == nil {
				b = []byte{}
			}
			if err := f(num, 0, b); err != nil {
				return err
			}
		case 5: // 32-bit
			if len(msg) < 4 {
				return errors.New("truncated 32-bit field")
			}
			msg = msg[4:]
		default:
			return fmt.Errorf("unsupported wire type %d", key&7)
		}
	}
	return nil
}

// varints appends the packed varints in b to dst.
func varints(b []byte, dst *[]uint64) error {
	for len(b) > 0 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return errors.New("bad packed varint")
		}
		*dst = append(*dst, v)
		b = b[n:]
	}
	return nil
}
