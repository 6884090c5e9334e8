// Command job is the test module of package wasm, built for GOOS=wasip1
// GOARCH=wasm at test time. Its first argument picks what it does, so one
// build and one compilation serve every test:
//
//	echo     copies stdin to stdout
//	args     prints its arguments, one a line
//	upper    copies stdin to stdout in upper case
//	clock    reads the clocks and random bytes and prints their SHA-256
//	loop     never returns
//	bomb     allocates memory until it is stopped
//	escape   tries to read /etc/passwd, dial out and read the environment
//	flood    writes to stdout forever
//	exit N   exits with code N
package main

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"os"
	"strconv"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: job echo|args|upper|clock|loop|bomb|escape|flood|exit N")
		os.Exit(64)
	}
	switch os.Args[1] {
	case "echo":
		io.Copy(os.Stdout, os.Stdin)
	case "args":
		for _, a := range os.Args {
			fmt.Println(a)
		}
	case "upper":
		in, _ := io.ReadAll(os.Stdin)
		os.Stdout.Write(bytes.ToUpper(in))
	case "clock":
		clock()
	case "loop":
		loop()
	case "bomb":
		bomb()
	case "escape":
		escape()
	case "flood":
		line := bytes.Repeat([]byte("x"), 1023)
		line = append(line, '\n')
		for {
			os.Stdout.Write(line)
		}
	case "exit":
		code, _ := strconv.Atoi(os.Args[2])
		os.Exit(code)
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", os.Args[1])
		os.Exit(64)
	}
}

// clock hashes everything a module could use to tell two runs apart.
func clock() {
	h := sha256.New()
	t1 := time.Now()
	t2 := time.Now()
	time.Sleep(10 * time.Millisecond)
	since := time.Since(t1)
	b := make([]byte, 32)
	rand.Read(b)
	m := map[int]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8}
	for k := range m {
		binary.Write(h, binary.LittleEndian, int64(k))
	}
	for _, v := range []int64{t1.UnixNano(), t2.UnixNano(), int64(since), mrand.Int64()} {
		binary.Write(h, binary.LittleEndian, v)
	}
	h.Write(b)
	fmt.Printf("%x %d\n", h.Sum(nil), t1.Year())
}

var sink []byte

func loop() {
	n := 0
	for {
		n++
		if n < 0 {
			sink = nil
		}
	}
}

func bomb() {
	var keep [][]byte
	for {
		b := make([]byte, 1<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = byte(i)
		}
		keep = append(keep, b)
		fmt.Println(len(keep), "MiB")
	}
}

func escape() {
	status := 0
	if b, err := os.ReadFile("/etc/passwd"); err != nil {
		fmt.Println("open:", err)
	} else {
		fmt.Printf("read %d bytes of /etc/passwd\n", len(b))
		status = 1
	}
	if c, err := net.Dial("tcp", "127.0.0.1:22"); err != nil {
		fmt.Println("dial:", err)
	} else {
		c.Close()
		fmt.Println("dialled out")
		status = 1
	}
	if env := os.Environ(); len(env) > 0 {
		fmt.Println("environment:", env)
		status = 1
	}
	if dir, err := os.Getwd(); err == nil {
		if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
			fmt.Println("listed", dir)
			status = 1
		}
	}
	fmt.Println("escape status", status)
	os.Exit(status)
}
