package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"
)

// The baseline is the products pages as a careful Go engineer would write
// them by hand with no framework: net/http, html/template and database/sql
// on lib/pq, the same queries as the framework's pages and the same markup
// a viewer gets (the create action answers 303 like the no-JS form). It has
// no sessions, CSRF, access log or security headers: that difference is the
// framework's cost the benchmark measures.

// baselineTemplates are parsed once; each page executes without a lock.
var baselineTemplates = template.Must(template.New("").Funcs(template.FuncMap{
	"price": func(cents int64) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) },
	"when":  func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04") },
	"iso":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"showTitle": func(p baselineProduct) map[string]string {
		return map[string]string{"Title": p.Name}
	},
}).Parse(baselineMarkup))

// baselineProduct is one products row.
type baselineProduct struct {
	ID         int64
	Name, SKU  string
	PriceCents int64
	Stock      int
	Active     bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// baselineList is what the list page and its fragment show.
type baselineList struct {
	Title    string
	Items    []baselineProduct
	Total    int
	More     bool
	Page     int
	Pages    int
	NextURL  string
	LastURL  string
	SelfURL  string
	Position string
}

type baselineServer struct {
	db *sql.DB
}

// runBaseline serves the baseline on addr from the PostgreSQL database at
// dsn until ctx ends.
func runBaseline(ctx context.Context, dsn, addr string) error {
	dsn, err := oneRoundTrip(dsn)
	if err != nil {
		return err
	}
	conn, err := sql.Open("postgres", dsn)
	if err != nil {
		return err
	}
	defer conn.Close()
	// The same pool size the framework's db.Open uses for PostgreSQL.
	conn.SetMaxOpenConns(20)
	conn.SetMaxIdleConns(10)
	s := &baselineServer{db: conn}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /products", s.list)
	mux.HandleFunc("GET /products/{id}", s.show)
	mux.HandleFunc("POST /products", s.create)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

const (
	baselinePer = 25
	baselineCap = 10_000
)

func (s *baselineServer) list(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	page := 1
	if raw := r.URL.Query().Get("page"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil {
			http.Error(w, "The page parameter must be a whole number.", http.StatusBadRequest)
			return
		}
		page = max(n, 1)
	}
	vm := baselineList{Title: "Products", SelfURL: "/products"}
	if err := s.db.QueryRowContext(ctx,
		"SELECT count(*) FROM (SELECT 1 FROM products LIMIT $1) capped", baselineCap+1).Scan(&vm.Total); err != nil {
		s.fail(w, err)
		return
	}
	if vm.Total > baselineCap {
		vm.Total, vm.More = baselineCap, true
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, sku, price_cents, stock, active, created_at, updated_at
		FROM products ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`, baselinePer+1, (page-1)*baselinePer)
	if err != nil {
		s.fail(w, err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var p baselineProduct
		if err := rows.Scan(&p.ID, &p.Name, &p.SKU, &p.PriceCents, &p.Stock, &p.Active, &p.CreatedAt, &p.UpdatedAt); err != nil {
			s.fail(w, err)
			return
		}
		vm.Items = append(vm.Items, p)
	}
	if err := rows.Err(); err != nil {
		s.fail(w, err)
		return
	}
	vm.Page = page
	if len(vm.Items) > baselinePer {
		vm.Items = vm.Items[:baselinePer]
		vm.NextURL = "/products?page=" + strconv.Itoa(page+1)
		vm.LastURL = "/products?page=last"
	}
	if vm.More {
		vm.Position = "page " + strconv.Itoa(page)
	} else {
		vm.Pages = max(1, (vm.Total+baselinePer-1)/baselinePer)
		vm.Position = fmt.Sprintf("page %d of %d", page, vm.Pages)
		vm.LastURL = "/products?page=" + strconv.Itoa(vm.Pages)
	}
	name := "page"
	if r.Header.Get("HX-Request-Type") == "partial" {
		name = "rows"
	}
	s.render(w, http.StatusOK, name, vm)
}

func (s *baselineServer) show(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	var p baselineProduct
	err = s.db.QueryRowContext(ctx, `SELECT id, name, sku, price_cents, stock, active, created_at, updated_at
		FROM products WHERE id = $1`, id).Scan(&p.ID, &p.Name, &p.SKU, &p.PriceCents, &p.Stock, &p.Active, &p.CreatedAt, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	// The framework's detail page reads the record's recent history too.
	var changes int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM audit_log
		WHERE resource = 'products' AND record_id = $1 ORDER BY at DESC, id DESC LIMIT 20) h`,
		strconv.FormatInt(id, 10)).Scan(&changes); err != nil {
		s.fail(w, err)
		return
	}
	s.render(w, http.StatusOK, "show", p)
}

var baselineSKU = regexp.MustCompile(`^[A-Z0-9-]{3,32}$`)

func (s *baselineServer) create(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read.", http.StatusBadRequest)
		return
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	sku := strings.TrimSpace(r.PostForm.Get("sku"))
	price, priceErr := parseCents(r.PostForm.Get("price"))
	stock, stockErr := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("stock")))
	if name == "" || len(name) > 200 || !baselineSKU.MatchString(sku) || priceErr != nil || stockErr != nil || stock < 0 {
		http.Error(w, "Please correct the form.", http.StatusUnprocessableEntity)
		return
	}
	active := r.PostForm.Get("active") != ""
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		s.fail(w, err)
		return
	}
	defer func() { _ = tx.Rollback() }()
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO products (name, sku, price_cents, stock, active)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, name, sku, price, stock, active).Scan(&id)
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "23505" {
		http.Error(w, "That SKU is taken.", http.StatusConflict)
		return
	}
	if err != nil {
		s.fail(w, err)
		return
	}
	changes, _ := json.Marshal(map[string]any{"name": name, "sku": sku, "price_cents": price, "stock": stock, "active": active})
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (staff_email, action, resource, record_id, changes)
		VALUES ($1, 'create', 'products', $2, $3)`, "baseline", strconv.FormatInt(id, 10), string(changes)); err != nil {
		s.fail(w, err)
		return
	}
	if err := tx.Commit(); err != nil {
		s.fail(w, err)
		return
	}
	http.Redirect(w, r, "/products/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

var baselinePrice = regexp.MustCompile(`^([0-9]{1,12})(?:\.([0-9]{1,2}))?$`)

// parseCents reads "12.50" as 1250.
func parseCents(raw string) (int64, error) {
	m := baselinePrice.FindStringSubmatch(strings.TrimSpace(raw))
	if m == nil {
		return 0, errors.New("not a price")
	}
	whole, _ := strconv.ParseInt(m[1], 10, 64)
	frac, _ := strconv.ParseInt((m[2] + "00")[:2], 10, 64)
	return whole*100 + frac, nil
}

func (s *baselineServer) render(w http.ResponseWriter, status int, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := baselineTemplates.ExecuteTemplate(w, name, data); err != nil {
		log.Printf("baseline: render %s: %v", name, err)
	}
}

func (s *baselineServer) fail(w http.ResponseWriter, err error) {
	log.Printf("baseline: %v", err)
	http.Error(w, "Something went wrong.", http.StatusInternalServerError)
}

// oneRoundTrip adds binary_parameters=yes to a PostgreSQL URL, as db.ParseURL
// does for the framework, so that neither server pays lib/pq's extra round
// trip per query with arguments and the comparison stays like for like.
func oneRoundTrip(dsn string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("baseline: DATABASE_URL: %w", err)
	}
	q := u.Query()
	if !q.Has("binary_parameters") {
		q.Set("binary_parameters", "yes")
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}
