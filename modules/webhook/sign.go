package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

// secretPrefix marks a Standard Webhooks signing secret: the prefix, then the key in base64.
const secretPrefix = "whsec_"

// newSecret is a fresh signing secret of 24 random bytes.
func newSecret() string {
	key := make([]byte, 24)
	_, _ = rand.Read(key) // crypto/rand never fails on Linux
	return secretPrefix + base64.StdEncoding.EncodeToString(key)
}

// signature is the Standard Webhooks signature of a message under secret: "v1," and the
// base64 HMAC-SHA256 of "id.timestamp.body" keyed with the secret's bytes.
func signature(secret, id string, timestamp int64, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil {
		return "", fmt.Errorf("webhook secret: %w", err)
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", id, timestamp)
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}
