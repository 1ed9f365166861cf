package app_test

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/app/view"
)

func TestInModal(t *testing.T) {
	a := newApp(t, app.Config{})
	a.Get("/", func(c *fiber.Ctx) error {
		if app.InModal(c) {
			return c.SendString("modal")
		}
		return c.SendString("page")
	})
	client := apptest.New(t, a.App)
	header := apptest.Header(app.ModalHeader, "true")
	cases := []struct {
		name string
		opts []apptest.Option
		want string
	}{
		{"plain", nil, "page"},
		{"plain with the header", []apptest.Option{header}, "page"},
		{"htmx for a region", []apptest.Option{apptest.HTMX("#rows")}, "page"},
		{"htmx into the dialog", []apptest.Option{apptest.HTMX("#" + view.ModalBodyID)}, "modal"},
		{"htmx from inside the dialog", []apptest.Option{apptest.HTMX("#main"), header}, "modal"},
		{"boosted from inside the dialog", []apptest.Option{apptest.Boosted(), header}, "page"},
	}
	for _, tc := range cases {
		if got := client.Get("/", tc.opts...).Body; got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestModalAttributes(t *testing.T) {
	got := string(app.Modal("/things/new?from=list&x=1"))
	want := `hx-get="/things/new?from=list&amp;x=1" hx-target="#hd-modal-body" hx-swap="innerHTML" data-hd-modal`
	if got != want {
		t.Errorf("Modal() = %s, want %s", got, want)
	}
}

// TestRenderInModal: whatever a request from the dialog renders (the page
// it asked for, a rejected form, an error) lands in the dialog, without the
// layout.
func TestRenderInModal(t *testing.T) {
	a := newApp(t, app.Config{})
	a.Get("/things", func(c *fiber.Ctx) error {
		return app.Render(c, 200, "things/index", &thingsPage{Page: view.Page{Title: "Things"}, Name: "x"}, "things/index.rows")
	})
	a.Get("/missing", func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	client := apptest.New(t, a.App)
	for _, path := range []string{"/things", "/missing"} {
		res := client.Get(path, apptest.HTMX("#main"), apptest.Header(app.ModalHeader, "true"))
		if res.IsFullPage() || res.Doc.Find("h1").Length() != 1 {
			t.Errorf("%s in the modal: want the page's content without the layout, got %q", path, res.Body)
		}
		if got := res.Header.Get("HX-Retarget") + " " + res.Header.Get("HX-Reswap"); got != "#hd-modal-body innerHTML" {
			t.Errorf("%s in the modal: retarget and reswap got %q, want the dialog's body", path, got)
		}
	}
	if got := client.Get("/things", apptest.HTMX("#main")).Header.Get("HX-Retarget"); got != "" {
		t.Errorf("outside the modal: HX-Retarget got %q, want none", got)
	}
}

// TestDoneAnswersEachWay: a redirect with a flash without JavaScript, the
// next view with a toast under htmx, and a closing dialog in the modal.
func TestDoneAnswersEachWay(t *testing.T) {
	a := newApp(t, app.Config{})
	a.Post("/things", func(c *fiber.Ctx) error {
		return app.Done(c, "/things/7", "Thing saved.", func() error {
			return app.Render(c, 200, "things/index", &thingsPage{Page: view.Page{Title: "Things"}, Name: "rendered"}, "")
		})
	})
	client := apptest.New(t, a.App)

	plain := client.PostForm("/things", url.Values{}).WantStatus(303)
	if plain.Header.Get("Location") != "/things/7" || plain.Header.Get("HX-Trigger") != "" {
		t.Errorf("plain: Location %q, HX-Trigger %q; want a redirect and no events", plain.Header.Get("Location"), plain.Header.Get("HX-Trigger"))
	}

	page := client.PostForm("/things", url.Values{}, apptest.HTMX("#main")).WantStatus(200)
	events := triggers(t, page)
	if toast := events[app.ToastEvent]; toast["message"] != "Thing saved." || toast["level"] != "success" {
		t.Errorf("htmx: hd:toast got %v, want a success toast", toast)
	}
	if _, ok := events[app.ModalCloseEvent]; ok || page.Text("#rows") != "rendered" || page.Header.Get("HX-Push-Url") != "/things/7" {
		t.Errorf("htmx: want the next view rendered and pushed, no dialog to close; got %q", page.Body)
	}
	if page.Doc.Find(".flash").Length() != 0 || client.Cookie("hd_flash") != "" {
		t.Errorf("htmx: a flash was set beside the toast")
	}

	modal := client.PostForm("/things", url.Values{}, apptest.HTMX("#main"), apptest.Header(app.ModalHeader, "true")).WantStatus(200)
	events = triggers(t, modal)
	if events[app.ModalCloseEvent]["focus"] != "/things/7" || events[app.ToastEvent]["message"] != "Thing saved." {
		t.Errorf("modal: events got %v, want the dialog closed with focus on /things/7 and a toast", events)
	}
	if modal.Body != "" || modal.Header.Get("HX-Reswap") != "none" || modal.Header.Get("HX-Push-Url") != "" {
		t.Errorf("modal: body %q, reswap %q, push %q; want nothing swapped or pushed",
			modal.Body, modal.Header.Get("HX-Reswap"), modal.Header.Get("HX-Push-Url"))
	}
}

func TestNotify(t *testing.T) {
	a := newApp(t, app.Config{})
	a.Post("/", func(c *fiber.Ctx) error {
		app.Notify(c, "error", c.FormValue("message"))
		return c.SendString("ok")
	})
	client := apptest.New(t, a.App)
	res := client.PostForm("/", url.Values{"message": {"Could not save “Mug”."}}, apptest.HTMX("#main"))
	if toast := triggers(t, res)[app.ToastEvent]; toast["message"] != "Could not save “Mug”." || toast["level"] != "error" {
		t.Errorf("htmx: hd:toast got %v, want the error toast", toast)
	}
	if res := client.PostForm("/", url.Values{"message": {""}}, apptest.HTMX("#main")); res.Header.Get("HX-Trigger") != "" {
		t.Errorf("empty message: HX-Trigger got %q, want none", res.Header.Get("HX-Trigger"))
	}
	client.PostForm("/", url.Values{"message": {"Could not save."}})
	if client.Cookie("hd_flash") == "" {
		t.Errorf("without htmx: want the message flashed to the next page")
	}
}

func triggers(t *testing.T, res *apptest.Response) map[string]map[string]any {
	t.Helper()
	events := map[string]map[string]any{}
	raw := map[string]any{}
	if err := json.Unmarshal([]byte(res.Header.Get("HX-Trigger")), &raw); err != nil {
		t.Fatalf("HX-Trigger %q: %v", res.Header.Get("HX-Trigger"), err)
	}
	for name, detail := range raw {
		events[name], _ = detail.(map[string]any)
	}
	return events
}
