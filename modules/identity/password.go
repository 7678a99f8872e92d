package identity

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// argonParams are the argon2id costs a hash was made with. They are encoded in the hash
// (PHC string format), so raising them later re-hashes passwords at their next login.
type argonParams struct {
	memoryKiB uint32
	time      uint32
	threads   uint8
}

// currentParams follow OWASP's minimum for argon2id: 19 MiB, two passes, one lane.
var currentParams = argonParams{memoryKiB: 19 * 1024, time: 2, threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// hashSlots bounds how many hashes run at once: each takes 19 MiB and a core for tens of
// milliseconds, so a burst of logins queues here instead of exhausting memory.
var hashSlots = make(chan struct{}, 2*runtime.GOMAXPROCS(0))

func hashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	p := currentParams
	key := derive(password, salt, p)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.memoryKiB, p.time, p.threads,
		b64(salt), b64(key)), nil
}

// verifyPassword reports whether password matches encoded, and whether the hash was made
// with weaker parameters than today's and should be replaced.
func verifyPassword(password, encoded string) (ok, stale bool, err error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, false, err
	}
	got := derive(password, salt, p)
	ok = subtle.ConstantTimeCompare(got, key) == 1
	stale = p.memoryKiB < currentParams.memoryKiB || p.time < currentParams.time
	return ok, stale, nil
}

func b64(b []byte) string { return base64.RawStdEncoding.EncodeToString(b) }

func derive(password string, salt []byte, p argonParams) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey([]byte(password), salt, p.time, p.memoryKiB, p.threads, keyLen)
}

func decodeHash(encoded string) (argonParams, []byte, []byte, error) {
	var p argonParams
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, errors.New("not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("unsupported argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memoryKiB, &p.time, &p.threads); err != nil {
		return p, nil, nil, fmt.Errorf("bad argon2 parameters %q", parts[3])
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, err
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return p, nil, nil, err
	}
	return p, salt, key, nil
}

// dummyHash is verified against when a login names no account, so that an unknown
// account costs the same time as a wrong password and cannot be told apart by timing.
// It is made on first use so that start-up does not pay for it.
var dummyHash = sync.OnceValue(func() string {
	h, err := hashPassword("not a password: timing equaliser")
	if err != nil {
		panic(err)
	}
	return h
})
