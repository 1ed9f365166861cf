package app_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/apptest"
	"github.com/hyperdesk/hyperdesk/db"
)

// Revalidate answers the acting page with HX-Trigger and publishes the same
// tags, with the page's id as origin when it is a plausible one.
func TestRevalidatePublishesThroughTheBroker(t *testing.T) {
	broker := db.NewLocalBroker()
	defer broker.Close()
	sub := broker.Subscribe(8)
	a := newApp(t, app.Config{Broker: broker})
	a.Post("/save", func(c *fiber.Ctx) error {
		app.Revalidate(c, "products", "product:"+c.Query("id"))
		return c.SendString("saved")
	})
	a.Post("/nothing", func(c *fiber.Ctx) error {
		app.Revalidate(c)
		return c.SendString("nothing")
	})
	client := apptest.New(t, a.App)

	cases := []struct {
		name, page, wantOrigin string
	}{
		{"page id", "3f2a9c1e8b7d6a5f", "3f2a9c1e8b7d6a5f"},
		{"no page id", "", ""},
		{"implausible page id", "<script>", ""},
	}
	for _, tc := range cases {
		opts := []apptest.Option{apptest.HTMX("#main")}
		if tc.page != "" {
			opts = append(opts, apptest.Header(app.PageHeader, tc.page))
		}
		res := client.PostForm("/save?id=7", nil, opts...).WantStatus(http.StatusOK)
		if got := res.Header.Get("HX-Trigger"); got != `{"revalidate:product:7":true,"revalidate:products":true}` {
			t.Errorf("%s: HX-Trigger = %q", tc.name, got)
		}
		want := db.Message{Tags: []string{"products", "product:7"}, Origin: tc.wantOrigin}
		select {
		case got := <-sub.C():
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: published %+v, want %+v", tc.name, got, want)
			}
		default:
			t.Errorf("%s: nothing published", tc.name)
		}
	}

	client.PostForm("/nothing", nil).WantStatus(http.StatusOK)
	select {
	case got := <-sub.C():
		t.Errorf("Revalidate with no tags published %+v", got)
	default:
	}
}

// Without a broker Revalidate still answers the acting page.
func TestRevalidateWithoutBroker(t *testing.T) {
	a := newApp(t, app.Config{})
	a.Post("/save", func(c *fiber.Ctx) error {
		app.Revalidate(c, "products")
		return c.SendString("saved")
	})
	res := apptest.New(t, a.App).PostForm("/save", nil).WantStatus(http.StatusOK)
	if got := res.Header.Get("HX-Trigger"); got != `{"revalidate:products":true}` {
		t.Errorf("HX-Trigger = %q", got)
	}
}
