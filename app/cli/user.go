package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/hyperdesk/hyperdesk/app"
	"github.com/hyperdesk/hyperdesk/app/auth"
	"github.com/hyperdesk/hyperdesk/app/role"
	"github.com/hyperdesk/hyperdesk/db"
)

const userUsage = "usage: %s user add --email E --role viewer|editor|admin | list | set-role --email E --role R | disable --email E | reset-password --email E"

// User runs "user add|list|set-role|disable|reset-password": it manages
// staff accounts. add and reset-password read the password from stdin when
// it is piped and otherwise generate one and print it once; disable and
// reset-password end the account's sessions, and on PostgreSQL its open
// event streams on every instance at once.
func (p Program) User(ctx context.Context, args []string, e Env, stdin io.Reader, stdout io.Writer) error {
	usage := fmt.Errorf(userUsage, p.Name)
	if len(args) == 0 {
		return usage
	}
	flags := NewFlags("user "+args[0], stdout)
	email := flags.String("email", "", "the staff member's email address")
	roleName := flags.String("role", "", "viewer, editor or admin")
	if err := flags.Parse(args[1:]); err != nil {
		return err
	}
	needs := map[string][]string{"add": {"email", "role"}, "list": nil, "set-role": {"email", "role"}, "disable": {"email"}, "reset-password": {"email"}}
	required, ok := needs[args[0]]
	if !ok {
		return usage
	}
	for _, name := range required {
		if flags.Lookup(name).Value.String() == "" {
			return fmt.Errorf("user %s needs --%s", args[0], name)
		}
	}
	var r role.Role
	if *roleName != "" {
		var err error
		if r, err = role.Parse(*roleName); err != nil {
			return err
		}
	}
	d, err := p.OpenDB(ctx, e)
	if err != nil {
		return err
	}
	defer d.Close()
	staff := auth.NewStaffStore(d)

	switch args[0] {
	case "add":
		password, generated, err := newPassword(stdin)
		if err != nil {
			return err
		}
		st, err := staff.Add(ctx, *email, r, password)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added %s (%s)\n", st.Email, st.Role)
		if generated {
			fmt.Fprintf(stdout, "password: %s\n(shown only this once)\n", password)
		}
	case "list":
		list, err := staff.List(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "EMAIL\tROLE\tSTATUS\tCREATED")
		for _, st := range list {
			status := "active"
			if st.Disabled {
				status = "disabled"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", st.Email, st.Role, status, st.CreatedAt.Format("2006-01-02"))
		}
		return w.Flush()
	case "set-role":
		if err := staff.SetRole(ctx, *email, r); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s is now %s\n", auth.NormalizeEmail(*email), r)
	case "disable":
		if err := staff.Disable(ctx, *email); err != nil {
			return err
		}
		if err := endStreams(ctx, d, staff, *email); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s is disabled; their sessions have ended\n", auth.NormalizeEmail(*email))
	case "reset-password":
		password, generated, err := newPassword(stdin)
		if err != nil {
			return err
		}
		if err := staff.SetPassword(ctx, *email, password); err != nil {
			return err
		}
		if err := endStreams(ctx, d, staff, *email); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "new password set for %s; their sessions have ended\n", auth.NormalizeEmail(*email))
		if generated {
			fmt.Fprintf(stdout, "password: %s\n(shown only this once)\n", password)
		}
	}
	return nil
}

// endStreams tells every running instance that the sessions of the staff
// member with email have ended, so their open event streams close at once
// instead of at their next heartbeat. Only PostgreSQL carries the message
// between processes; with SQLite the serving process notices at the
// heartbeat.
func endStreams(ctx context.Context, d *db.DB, staff *auth.StaffStore, email string) error {
	if d.Dialect != db.Postgres {
		return nil
	}
	st, err := staff.ByEmail(ctx, email)
	if err != nil {
		return err
	}
	broker, err := db.NewBroker(d)
	if err != nil {
		return err
	}
	defer broker.Close()
	return broker.Publish(ctx, db.Message{Tags: []string{app.StaffTag(st.ID)}})
}

// newPassword reads the first line of stdin when it is piped; on a terminal
// it generates one. generated tells the caller to print it.
func newPassword(stdin io.Reader) (password string, generated bool, err error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return auth.GeneratePassword(), true, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("reading the password from standard input: %w", err)
	}
	password = strings.TrimRight(line, "\r\n")
	if password == "" {
		return "", false, errors.New("no password on standard input; pipe one in, or run on a terminal to generate one")
	}
	return password, false, nil
}
