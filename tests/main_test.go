package tests

import (
	"testing"

	"github.com/arenaesports/arena/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }
