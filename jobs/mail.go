package jobs

import (
	"context"
	"strings"
	"time"

	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/mail"
	"github.com/harbour-nrm/harbour/referral"
)

// Mailer writes a notification e-mail in its reader's language and sends it. The e-mail says
// only what kind of thing waits and links to it (publicURL/notifications/ID, behind sign-in):
// never the person's name, reference, birth date or anything else of hers.
func Mailer(s mail.Sender, b *i18n.Bundle, publicURL string) Send {
	base := strings.TrimSuffix(publicURL, "/")
	return func(ctx context.Context, m referral.Mail) error {
		return s.Send(ctx, Compose(b, base, m))
	}
}

// Compose writes the e-mail for m.
func Compose(b *i18n.Bundle, publicURL string, m referral.Mail) mail.Message {
	l := b.Localizer(m.Language)
	kind := "mail." + string(m.Kind)
	data := map[string]any{"Link": publicURL + "/notifications/" + m.NotificationID.String(),
		"Settings": publicURL + "/settings/notifications", "Minutes": int(referral.HoldLapseWarning / time.Minute)}
	subject := l.T(kind+".subject", nil)
	if m.Urgent {
		subject = l.T("mail.urgent", map[string]any{"Subject": subject})
	}
	return mail.Message{To: m.To, Subject: subject, Text: l.T(kind+".body", data) + "\n\n" + l.T("mail.footer", data) + "\n"}
}
