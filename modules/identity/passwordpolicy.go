package identity

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/arenaesports/arena"
)

// Password length bounds, in bytes. 128 keeps argon2's input small; NIST SP 800-63B asks
// for at least 8 and at least 64 allowed.
const (
	minPasswordBytes = 8
	maxPasswordBytes = 128
)

//go:embed commonpasswords/passwords.txt
var commonPasswordList string

// commonPasswords is the embedded list as a set, built on first use.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 10000)
	for p := range strings.Lines(commonPasswordList) {
		set[strings.TrimSuffix(p, "\n")] = struct{}{}
	}
	return set
})

// checkPassword applies NIST SP 800-63B §5.1.1.2 to a new password: 8 to 128 bytes, not
// one character repeated, not among the most common passwords, and not (ignoring case)
// the account's handle, email or the email's local part, which an attacker tries first.
// Errors: EINVALID, whose message says which rule.
func checkPassword(password, handle, email string) error {
	if n := len(password); n < minPasswordBytes || n > maxPasswordBytes {
		return arena.Errorf(arena.EINVALID, "Password must be %d to %d bytes long.", minPasswordBytes, maxPasswordBytes)
	}
	if strings.Count(password, password[:1]) == len(password) {
		return arena.Errorf(arena.EINVALID, "Password must not be one character repeated.")
	}
	lower := strings.ToLower(password)
	if _, common := commonPasswords()[lower]; common {
		return arena.Errorf(arena.EINVALID, "Password is one of the most common passwords; choose another.")
	}
	local, _, _ := strings.Cut(email, "@")
	for _, own := range []string{handle, email, local} {
		if own != "" && strings.EqualFold(password, own) {
			return arena.Errorf(arena.EINVALID, "Password must not be the account's handle or email.")
		}
	}
	return nil
}
