package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/hyperdesk/hyperdesk/app/apptest/load"
	"github.com/hyperdesk/hyperdesk/app/audit"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
)

// Twenty editors save the same product at once, again and again, each
// from the version they last loaded: every save is either applied (303) or
// refused as a conflict (409), and the audit log holds exactly the applied
// ones, in the order the versions say, the last of them being what the
// product now is: no update was lost or half made.
func TestConcurrentEditsOfOneRecordLoseNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		const editors, rounds = 20, 4
		tool := handlerstest.New(t, d)
		base := tool.Serve()
		email := tool.AddStaff(role.Editor)
		p := mustProduct(t, d, "Shared", "SHARED-1")
		path := "/products/" + strconv.FormatInt(p.ID, 10)
		ctx := context.Background()

		signedIn := load.New(base)
		defer signedIn.Close()
		if err := signedIn.Login(ctx, email, handlerstest.Password); err != nil {
			t.Fatal(err)
		}
		var (
			mu      sync.Mutex
			applied = map[string]bool{} // names saved with 303
			refused int
		)
		// Each round every editor sends a save from the same version at
		// the same moment: exactly one may apply.
		for r := range rounds {
			var version int64
			if err := d.GetContext(ctx, &version, d.Rebind("SELECT version FROM products WHERE id = ?"), p.ID); err != nil {
				t.Fatal(err)
			}
			start := make(chan struct{})
			var wg sync.WaitGroup
			for e := range editors {
				c := signedIn.Clone()
				defer c.Close()
				wg.Add(1)
				go func() {
					defer wg.Done()
					name := fmt.Sprintf("Editor %d round %d", e, r)
					<-start
					res, err := c.Post(ctx, path, productValues(name, "SHARED-1", version), "")
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err != nil:
						t.Errorf("%s: %v", name, err)
					case res.Status == http.StatusSeeOther:
						applied[name] = true
					case res.Status == http.StatusConflict:
						refused++
					default:
						t.Errorf("%s: status %d, want 303 or 409\n%.300s", name, res.Status, res.Body)
					}
				}()
			}
			close(start)
			wg.Wait()
		}

		var rows []struct {
			Changes string `db:"changes"`
		}
		if err := d.Select(&rows, d.Rebind("SELECT changes FROM audit_log WHERE resource = 'products' AND record_id = ? AND action = 'update' ORDER BY id"),
			strconv.FormatInt(p.ID, 10)); err != nil {
			t.Fatal(err)
		}
		var final struct {
			Name    string `db:"name"`
			Version int64  `db:"version"`
		}
		if err := d.Get(&final, d.Rebind("SELECT name, version FROM products WHERE id = ?"), p.ID); err != nil {
			t.Fatal(err)
		}
		if len(applied)+refused != editors*rounds {
			t.Errorf("%d applied + %d refused, want %d answers", len(applied), refused, editors*rounds)
		}
		if len(applied) != rounds {
			t.Errorf("%d saves applied, want one a round (%d)", len(applied), rounds)
		}
		if len(rows) != len(applied) || final.Version != p.Version+int64(len(applied)) {
			t.Errorf("%d saves applied, %d audited, version went %d → %d: want one audit row and one version each",
				len(applied), len(rows), p.Version, final.Version)
		}
		previous := p.Name
		for i, row := range rows {
			var changes map[string]audit.Change
			if err := json.Unmarshal([]byte(row.Changes), &changes); err != nil {
				t.Fatal(err)
			}
			name := changes["name"]
			if name.Before != previous || !applied[fmt.Sprint(name.After)] {
				t.Errorf("audit row %d: name %v → %v, want %q → a name whose save was applied", i, name.Before, name.After, previous)
			}
			previous = fmt.Sprint(name.After)
		}
		if final.Name != previous {
			t.Errorf("the product is named %q, want the last audited %q", final.Name, previous)
		}
		t.Logf("%d saves: %d applied, %d conflicts", editors*rounds, len(applied), refused)
	})
}
