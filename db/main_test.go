package db_test

import (
	"testing"

	"github.com/hyperdesk/hyperdesk/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }
