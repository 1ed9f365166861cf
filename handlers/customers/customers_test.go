package customers_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/apptest/browsertest"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
	"github.com/hyperdesk/hyperdesk/db/dbtest"
	"github.com/hyperdesk/hyperdesk/handlers/customers"
	"github.com/hyperdesk/hyperdesk/handlers/handlerstest"
)

func TestMain(m *testing.M) { dbtest.Main(m, browsertest.Stop) }

func mustCreate(t *testing.T, d *db.DB, name, email, tier string) customers.Customer {
	t.Helper()
	c, err := customers.NewSQLStore(d).CreateCustomer(context.Background(), customers.Changes{Name: name, Email: email, Tier: tier})
	if err != nil {
		t.Fatalf("creating %s: %v", email, err)
	}
	return c
}

func mustOrder(t *testing.T, d *db.DB, customerID int64) int64 {
	t.Helper()
	var id int64
	err := d.Get(&id, d.Rebind("INSERT INTO orders (customer_id, status, placed_at) VALUES (?, 'paid', ?) RETURNING id"),
		customerID, d.Dialect.Time(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func validForm() url.Values {
	return url.Values{"name": {"Ada Lovelace"}, "email": {"Ada@Example.com"}, "company": {"Analytical"}, "tier": {"gold"}, "notes": {"Prefers email.\nNo calls."}}
}

func TestListSearchAndTierFilter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		mustCreate(t, d, "Ada Lovelace", "ada@example.com", "gold")
		mustCreate(t, d, "Grace Hopper", "grace@example.com", "platinum")
		mustCreate(t, d, "Alan Turing", "alan@example.com", "standard")
		client := handlerstest.New(t, d).Client(role.Viewer)
		names := func(path string, opts ...apptest.Option) []string {
			var out []string
			res := client.Get(path, opts...).WantStatus(200)
			res.Doc.Find("#customers-rows tbody td:first-child").Each(func(_ int, s *goquery.Selection) {
				out = append(out, strings.TrimSpace(s.Text()))
			})
			return out
		}
		if got := names("/customers"); strings.Join(got, ",") != "Ada Lovelace,Alan Turing,Grace Hopper" {
			t.Errorf("list by name got %v", got)
		}
		if got := names("/customers?tier=gold"); strings.Join(got, ",") != "Ada Lovelace" {
			t.Errorf("tier=gold got %v, want [Ada Lovelace]", got)
		}
		if got := names("/customers?q=GRACE@", apptest.HTMX("#customers-rows")); strings.Join(got, ",") != "Grace Hopper" {
			t.Errorf("search by email got %v", got)
		}
		res := client.Get("/customers?tier=diamond").WantStatus(400)
		if !strings.Contains(res.Body, "standard, gold, platinum") {
			t.Errorf("unknown tier: want a message naming the tiers:\n%s", res.Body)
		}
		client.Get("/customers?colour=red").WantStatus(400)
	})
}

func TestCreateWithoutJavaScript(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		client := handlerstest.New(t, d).Client(role.Editor)
		res := client.PostForm("/customers", validForm()).WantStatus(303)
		page := client.Follow(res).WantStatus(200)
		if got := page.Text("h1"); got != "Ada Lovelace" {
			t.Errorf("after create h1 = %q", got)
		}
		if !strings.Contains(page.Body, "Customer created.") || !strings.Contains(page.Body, "ada@example.com") {
			t.Errorf("want the flash and the lower-cased email on the new customer's page")
		}

		again := validForm()
		again.Set("email", "ADA@example.COM")
		taken := client.PostForm("/customers", again).WantStatus(422)
		if got := taken.Text("#field-email-error"); !strings.Contains(got, "already uses") {
			t.Errorf("taken email error = %q", got)
		}
		bad := url.Values{"name": {" "}, "email": {"not-an-email"}, "tier": {"diamond"}}
		res = client.PostForm("/customers", bad).WantStatus(422)
		for field, want := range map[string]string{"name": "required", "email": "valid email", "tier": "Choose one of"} {
			if got := res.Text("#field-" + field + "-error"); !strings.Contains(got, want) {
				t.Errorf("%s error = %q, want it to contain %q", field, got, want)
			}
		}
		if got := res.Doc.Find("#field-email").AttrOr("value", ""); got != "not-an-email" {
			t.Errorf("the rejected form lost the typed email: %q", got)
		}
		var n int
		if err := d.Get(&n, "SELECT count(*) FROM customers"); err != nil || n != 1 {
			t.Errorf("customers = %d (%v), want 1", n, err)
		}
		handlerstest.New(t, d).Client(role.Viewer).PostForm("/customers", validForm()).WantStatus(403)
	})
}

func TestShowListsOrdersAndDeleteRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ada := mustCreate(t, d, "Ada Lovelace", "ada@example.com", "gold")
		lonely := mustCreate(t, d, "Alan Turing", "alan@example.com", "standard")
		order := mustOrder(t, d, ada.ID)
		client := handlerstest.New(t, d).Client(role.Admin)

		page := client.Get("/customers/" + strconv.FormatInt(ada.ID, 10)).WantStatus(200)
		if page.Doc.Find(`#customer-orders a[href="/orders/`+strconv.FormatInt(order, 10)+`"]`).Length() != 1 {
			t.Errorf("customer page does not link their order:\n%s", page.Body)
		}
		version := url.Values{"version": {strconv.FormatInt(ada.Version, 10)}}
		res := client.PostForm("/customers/"+strconv.FormatInt(ada.ID, 10)+"/delete", version).WantStatus(409)
		if !strings.Contains(res.Body, "has 1 orders") {
			t.Errorf("deleting a customer with orders: want the reason:\n%s", res.Body)
		}
		stale := validForm()
		stale.Set("version", "99")
		client.PostForm("/customers/"+strconv.FormatInt(lonely.ID, 10), stale).WantStatus(409)
		client.PostForm("/customers/"+strconv.FormatInt(lonely.ID, 10)+"/delete", url.Values{"version": {"1"}}).WantStatus(303)
		var left int
		if err := d.Get(&left, "SELECT count(*) FROM customers"); err != nil || left != 1 {
			t.Errorf("customers left = %d (%v), want 1", left, err)
		}
		var audited int
		if err := d.Get(&audited, d.Rebind("SELECT count(*) FROM audit_log WHERE resource = 'customers' AND action = 'delete' AND record_id = ?"), lonely.ID); err != nil || audited != 1 {
			t.Errorf("delete audit rows = %d (%v), want 1", audited, err)
		}
	})
}

func TestPickerOptions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		for i := range 14 {
			mustCreate(t, d, "Ada "+strconv.Itoa(i), "ada"+strconv.Itoa(i)+"@example.com", "standard")
		}
		mustCreate(t, d, "Grace Hopper", "grace@example.com", "standard")
		client := handlerstest.New(t, d).Client(role.Viewer)
		res := client.Get("/customers/options?name=customer_id&customer_id_search=ada", apptest.HTMX("#field-customer_id-options")).WantStatus(200)
		if got := res.Doc.Find("button[data-pick-value]").Length(); got != 10 {
			t.Errorf("matches shown = %d, want the limit of 10", got)
		}
		if !strings.Contains(res.Body, "More match") {
			t.Errorf("want a note that more customers match")
		}
		res = client.Get("/customers/options?name=customer_id&customer_id_search=hopper", apptest.HTMX("#field-customer_id-options")).WantStatus(200)
		if got := res.Doc.Find("button[data-pick-value]").AttrOr("data-pick-label", ""); got != "Grace Hopper (grace@example.com)" {
			t.Errorf("match label = %q", got)
		}
		client.Get("/customers/options?name=" + url.QueryEscape("x\"><script>")).WantStatus(400)
	})
}

// formValues returns what the form matching selector on res would submit
// as it stands: its inputs, textareas and selected options.
func formValues(res *apptest.Response, selector string) url.Values {
	values := url.Values{}
	form := res.Doc.Find(selector)
	form.Find("input").Each(func(_ int, in *goquery.Selection) {
		if name, ok := in.Attr("name"); ok && (in.AttrOr("type", "") != "checkbox" || in.Is("[checked]")) {
			values.Add(name, in.AttrOr("value", ""))
		}
	})
	form.Find("textarea").Each(func(_ int, ta *goquery.Selection) { values.Add(ta.AttrOr("name", ""), ta.Text()) })
	form.Find("select").Each(func(_ int, sel *goquery.Selection) {
		values.Add(sel.AttrOr("name", ""), sel.Find("option[selected]").AttrOr("value", ""))
	})
	return values
}

func TestStaleEditShowsTheConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ada := mustCreate(t, d, "Ada Lovelace", "ada@example.com", "gold")
		tool := handlerstest.New(t, d)
		first, second := tool.Client(role.Editor), tool.Client(role.Admin)
		path := "/customers/" + strconv.FormatInt(ada.ID, 10)

		// Both open the edit form at version 1.
		theirs := formValues(first.Get(path+"/edit").WantStatus(200), "form.form")
		mine := formValues(second.Get(path+"/edit").WantStatus(200), "form.form")
		if mine.Get("_original") == "" || mine.Get("version") != "1" {
			t.Fatalf("the edit form does not carry its original values and version: %v", mine)
		}
		theirs.Set("company", "Their Company")
		first.PostForm(path, theirs).WantStatus(303)

		mine.Set("tier", "platinum")
		for name, opts := range map[string][]apptest.Option{"no JS": nil, "htmx": {apptest.HTMX("#main")}} {
			res := second.PostForm(path, mine, opts...).WantStatus(409)
			if got := res.Text(".conflict__changed"); !strings.Contains(got, "Tier you changed") || !strings.Contains(got, "Platinum") {
				t.Errorf("%s: the row the user edited is not marked with both values: %q", name, got)
			}
			if got := res.Text(".conflict__table tbody"); !strings.Contains(got, "Company they changed") || !strings.Contains(got, "Their Company") || !strings.Contains(got, "theirs is kept") {
				t.Errorf("%s: the row only they changed does not say theirs is kept: %q", name, got)
			}
		}
		stored, err := customers.NewSQLStore(d).FindCustomer(context.Background(), ada.ID)
		if err != nil || stored.Tier != "gold" || stored.Company != "Their Company" {
			t.Fatalf("after the refused save: %+v (%v), want their change only", stored, err)
		}

		// Save my version applies the tier and keeps their company.
		res := second.PostForm(path, mine).WantStatus(409)
		again := formValues(res, ".conflict__actions form[method=post]")
		second.PostForm(path, again).WantStatus(303)
		stored, _ = customers.NewSQLStore(d).FindCustomer(context.Background(), ada.ID)
		if stored.Tier != "platinum" || stored.Company != "Their Company" || stored.Version != 3 {
			t.Errorf("after Save my version: %+v, want platinum, their company kept, at version 3", stored)
		}

		// Without the original values all of the form is re-applied.
		blind := validForm()
		blind.Set("version", "1")
		res = second.PostForm(path, blind).WantStatus(409)
		if got := formValues(res, ".conflict__actions form[method=post]").Get("company"); got != "Analytical" {
			t.Errorf("without original values the re-apply carries company %q, want the form's", got)
		}

		del := second.PostForm(path+"/delete", url.Values{"version": {"1"}}).WantStatus(409)
		if del.Doc.Find(".conflict__actions form[method=post]").Length() != 1 {
			t.Errorf("a stale delete: want the conflict view with Delete anyway:\n%s", del.Body)
		}
	})
}

func TestExportAndQuickCreateLinks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		mustCreate(t, d, "Ada Lovelace", "ada@example.com", "gold")
		mustCreate(t, d, "@SUM(A1)", "sum@example.com", "standard")
		mustCreate(t, d, "Grace Hopper", "grace@example.com", "gold")
		client := handlerstest.New(t, d).Client(role.Editor)
		list := client.Get("/customers?tier=gold&sort=-name").WantStatus(200)
		link := list.Doc.Find(`a[download]`).AttrOr("href", "")
		if link != "/customers/export.csv?sort=-name&tier=gold" {
			t.Errorf("export link = %q, want the list's filter and sort", link)
		}
		body := client.Get(link).WantStatus(200).Body
		if lines := strings.Split(strings.TrimSpace(body), "\r\n"); len(lines) != 3 || !strings.HasPrefix(lines[1], "3,Grace Hopper") || !strings.HasPrefix(lines[2], "1,Ada Lovelace") {
			t.Errorf("export of gold customers by name, descending:\n%s", body)
		}
		all := client.Get("/customers/export.csv").WantStatus(200).Body
		if !strings.Contains(all, "'@SUM(A1)") {
			t.Errorf("a formula-like name is not neutralised:\n%s", all)
		}
		if got := list.Doc.Find(`.page-head a[href="/customers/new"]`).AttrOr("hx-target", ""); got != "#hd-modal-body" {
			t.Errorf("New customer opens in %q, want the modal", got)
		}
	})
}
