// Package export answers a request with a CSV download of a list, streamed
// row by row while it is read from the database (see app.Stream), so a
// table of any size exports in constant memory. Every cell is neutralised
// against spreadsheet formula injection.
//
//	func (h *Handler) export(c *fiber.Ctx) error {
//		params, err := listSpec.Parse(form.Query(c))
//		if err != nil {
//			return err
//		}
//		return export.CSV(c, "products", []string{"id", "name"}, func(ctx context.Context, w *export.Writer) error {
//			return h.store.EachProduct(ctx, params, func(p Product) error {
//				return w.Write(strconv.FormatInt(p.ID, 10), p.Name)
//			})
//		})
//	}
package export

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/db"
)

// ContentType is the media type of a CSV export.
const ContentType = "text/csv; charset=utf-8"

// namePattern is what a download's name may be: it goes into a header.
var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// CSV answers with a CSV download named "<name>-YYYY-MM-DD.csv", dated
// today in UTC (as every time the tool stores is). The file holds header,
// then the records rows writes to w, in order.
//
// rows runs after the handler returned (see app.Stream): it must not touch
// c, and must use ctx, which ends when the client goes away. Rows are
// buffered a few kilobytes at a time; if rows fails before the first
// buffer is sent (a bad query, say), CSV returns its error, so the handler
// answers with that error's status and page. A later error is logged, ends
// the file with a last record saying the export is incomplete, and cuts the
// response off.
//
// CSV panics when name is not lower-case letters, digits, _ and - (a
// programming error).
func CSV(c *fiber.Ctx, name string, header []string, rows func(ctx context.Context, w *Writer) error) error {
	if !namePattern.MatchString(name) {
		panic(fmt.Sprintf("export: %q is not a valid download name", name))
	}
	filename := name + "-" + time.Now().UTC().Format(time.DateOnly) + ".csv"
	err := app.Stream(c, ContentType, func(ctx context.Context, out io.Writer) error {
		sent := &countingWriter{w: out}
		w := NewWriter(sent)
		err := w.Write(header...)
		if err == nil {
			err = rows(ctx, w)
		}
		if err != nil {
			// Nothing sent yet: the handler still answers with the error.
			// Otherwise the file is already someone's download, so say
			// inside it that it is incomplete.
			if sent.n > 0 {
				_ = w.csv.Write([]string{fmt.Sprintf("EXPORT INCOMPLETE: an error stopped it after %d rows. Download it again.", w.rows-1)})
				w.csv.Flush()
			}
			return err
		}
		return w.Flush()
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	return nil
}

// Writer writes CSV records, each cell neutralised (see Neutralise) and
// quoted by encoding/csv as needed, with CRLF line ends (RFC 4180). It
// buffers: call Flush after the last record.
type Writer struct {
	csv   *csv.Writer
	width int // cells per record, set by the first one
	rows  int
	cells []string
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &Writer{csv: cw}
}

// Write writes one record. Every record must have as many cells as the
// first (the header); Write returns an error otherwise, or when writing
// fails.
func (w *Writer) Write(cells ...string) error {
	if w.rows == 0 {
		w.width = len(cells)
	} else if len(cells) != w.width {
		return fmt.Errorf("export: record %d has %d cells, the header has %d", w.rows, len(cells), w.width)
	}
	w.cells = w.cells[:0]
	for _, cell := range cells {
		w.cells = append(w.cells, Neutralise(cell))
	}
	if err := w.csv.Write(w.cells); err != nil {
		return err
	}
	w.rows++
	return nil
}

// Flush writes any buffered records and returns the first error writing met.
func (w *Writer) Flush() error {
	w.csv.Flush()
	return w.csv.Error()
}

// Neutralise returns cell made safe to open in a spreadsheet. A cell that
// begins with =, +, -, @, a tab or a carriage return can be run as a
// formula (OWASP, "CSV Injection"), so it gets a leading single quote, which
// spreadsheets show as text. One exception keeps numbers numbers: a plain
// decimal, an optional sign then digits with an optional fraction ("-12.50",
// "+3"), cannot be a formula and is left as it is.
func Neutralise(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if isPlainNumber(cell) {
			return cell
		}
		return "'" + cell
	}
	return cell
}

// isPlainNumber reports whether s is [+-]?digits(.digits)?.
func isPlainNumber(s string) bool {
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	digits, fraction, dotted := 0, 0, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9' && dotted:
			fraction++
		case s[i] >= '0' && s[i] <= '9':
			digits++
		case s[i] == '.' && !dotted:
			dotted = true
		default:
			return false
		}
	}
	return digits > 0 && (!dotted || fraction > 0)
}

// countingWriter counts the bytes that reached w.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// URL returns the link to the export at path of the list params shows: the
// same search, sort and filters, every page.
func URL(path string, params db.ListParams) string {
	params.Page, params.Per = 0, 0
	if query := params.Values(); len(query) > 0 {
		return path + "?" + query.Encode()
	}
	return path
}
