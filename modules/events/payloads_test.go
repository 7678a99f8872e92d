package events

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestAppendRefusesAForeignPayload: a type's data is its schema's Go type or nothing is
// written, so the OpenAPI document describes every payload in the log.
func TestAppendRefusesAForeignPayload(t *testing.T) {
	for _, e := range []Event{
		{Type: MatchReady, Visibility: Public, Payload: map[string]any{"number": 1}},
		{Type: MatchReady, Visibility: Public, Payload: &MatchReadyData{}},
		{Type: "match.exploded", Visibility: Public, Payload: MatchData{}},
	} {
		require.Error(t, AppendTx(context.Background(), nil, time.Now(), e), "%s with %T", e.Type, e.Payload)
	}
	for _, kind := range Types {
		require.NoError(t, checkPayload(Event{Type: kind, Payload: reflect.New(dataOf[kind]).Elem().Interface()}), kind)
	}
}
