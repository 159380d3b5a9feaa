package api

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/i18n"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// notificationView is an alert as the API shows it: the record, its text in the reader's
// language and where it leads. Whom and how it is e-mailed stays inside.
type notificationView struct {
	ID                 uuid.UUID                 `json:"id"`
	Kind               referral.NotificationKind `json:"kind"`
	Action             string                    `json:"action"` // a referral's step, for referral_updated
	ReferralID         *uuid.UUID                `json:"referral_id"`
	HoldID             *uuid.UUID                `json:"hold_id"`
	SuggestedServiceID *uuid.UUID                `json:"suggested_service_id"` // the next best match, for referral_overdue
	NRMRecordID        *uuid.UUID                `json:"nrm_record_id"`
	Reference          string                    `json:"reference"`
	Urgent             bool                      `json:"urgent"`
	CreatedAt          time.Time                 `json:"created_at"`
	ReadAt             *time.Time                `json:"read_at"`
	Title              string                    `json:"title"`
	Link               string                    `json:"link"`
}

func newNotificationView(l *i18n.Localizer, n referral.Notification) notificationView {
	return notificationView{ID: n.ID, Kind: n.Kind, Action: n.Action, ReferralID: n.ReferralID, HoldID: n.HoldID,
		SuggestedServiceID: n.SuggestedServiceID, NRMRecordID: n.NRMRecordID, Reference: n.Reference, Urgent: n.Urgent,
		CreatedAt: n.CreatedAt, ReadAt: n.ReadAt, Title: l.Message(n.MessageID(), n.MessageData()), Link: n.Link()}
}

// notificationSettingsView is what a person chooses to be told, and how.
type notificationSettingsView struct {
	Kinds    []referral.NotificationKind `json:"kinds"`
	Email    bool                        `json:"email"`
	Language string                      `json:"language"`
}

func newNotificationSettingsView(v referral.NotificationSettings) notificationSettingsView {
	return notificationSettingsView{Kinds: v.Kinds, Email: v.Email, Language: v.Language}
}

func (s *Server) listNotifications(c echo.Context) error {
	list, unread, err := s.deps.Domain.Notifications(c.Request().Context(), 50)
	if err != nil {
		return err
	}
	l := s.Localizer(c)
	out := make([]notificationView, len(list))
	for i, n := range list {
		out[i] = newNotificationView(l, n)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "unread": unread})
}

func (s *Server) getNotification(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	n, err := s.deps.Domain.Notification(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newNotificationView(s.Localizer(c), n))
}

func (s *Server) readNotifications(c echo.Context) error {
	if err := s.deps.Domain.MarkNotificationsRead(c.Request().Context()); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) getNotificationSettings(c echo.Context) error {
	v, err := s.deps.Domain.MyNotificationSettings(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newNotificationSettingsView(v))
}

// notificationSettingsRequest replaces what a person chooses to be told.
type notificationSettingsRequest struct {
	Kinds    []referral.NotificationKind `json:"kinds"`
	Email    bool                        `json:"email"`
	Language string                      `json:"language"`
}

func (s *Server) putNotificationSettings(c echo.Context) error {
	var in notificationSettingsRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v, err := s.deps.Domain.SaveNotificationSettings(c.Request().Context(),
		referral.NotificationSettings{Kinds: in.Kinds, Email: in.Email, Language: in.Language})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newNotificationSettingsView(v))
}

// StreamFor bounds one live stream: the browser connects again at once, and the connection's
// session is checked again then (a signed-out person's stream ends within this).
const StreamFor = 10 * time.Minute

// lateWindow is how long after it was raised an alert may still be committed and shown live.
const lateWindow = 2 * time.Minute

// streamPing keeps proxies from closing a quiet stream.
const streamPing = 25 * time.Second

// notificationStream is the signed-in person's alerts as server-sent events, live: "unread"
// (the badge count) at once and after each change, and "notification" for each new alert.
func (s *Server) notificationStream(c echo.Context) error {
	if s.deps.Live == nil {
		return newAPIError(http.StatusServiceUnavailable, "unavailable", "error.unavailable", nil)
	}
	ctx := c.Request().Context()
	a := referral.ActorFrom(ctx)
	wake, stop := s.deps.Live.Subscribe(a.UserID)
	defer stop()
	d, l := s.deps.Domain, s.Localizer(c)

	// What the page has seen: every alert from a little before the stream started. Alerts are
	// looked for by when they were raised within a window (lateWindow), not after a cursor: a
	// transaction that began earlier may commit later.
	unread, err := d.Unread(ctx)
	if err != nil {
		return err
	}
	seen := map[uuid.UUID]time.Time{}
	recent, err := d.NotificationsSince(ctx, d.Now().Add(-lateWindow))
	if err != nil {
		return err
	}
	for _, n := range recent {
		seen[n.ID] = n.CreatedAt
	}

	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "text/event-stream; charset=utf-8")
	w.Header().Set(echo.HeaderCacheControl, "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func(event string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			return err
		}
		w.Flush()
		return nil
	}
	if _, err := fmt.Fprint(w, "retry: 3000\n\n"); err != nil {
		return nil
	}
	if err := send("unread", map[string]int{"unread": unread}); err != nil {
		return nil
	}
	ping := time.NewTicker(streamPing)
	defer ping.Stop()
	end := time.NewTimer(StreamFor)
	defer end.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.streamsEnd:
			return nil
		case <-end.C:
			return nil
		case <-ping.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return nil
			}
			w.Flush()
		case <-wake:
			since := d.Now().Add(-lateWindow)
			list, err := d.NotificationsSince(ctx, since)
			if err != nil {
				return nil // the browser connects again
			}
			for _, n := range list {
				if _, ok := seen[n.ID]; ok {
					continue
				}
				seen[n.ID] = n.CreatedAt
				if err := send("notification", newNotificationView(l, n)); err != nil {
					return nil
				}
			}
			maps.DeleteFunc(seen, func(_ uuid.UUID, t time.Time) bool { return t.Before(since) })
			n, err := d.Unread(ctx)
			if err != nil {
				return nil
			}
			if err := send("unread", map[string]int{"unread": n}); err != nil {
				return nil
			}
		}
	}
}

// EndStreams ends every live stream, so that a graceful shutdown need not wait for them.
func (s *Server) EndStreams() { s.endStreams.Do(func() { close(s.streamsEnd) }) }
