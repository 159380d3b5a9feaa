package web

import (
	"net/http"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

// notificationsData is a person's alerts.
type notificationsData struct {
	Items  []referral.Notification
	Unread int
}

func (s *Site) notificationsPage(c echo.Context) error {
	list, unread, err := s.deps.Domain.Notifications(c.Request().Context(), 50)
	if err != nil {
		return err
	}
	p := s.newPage(c, "notifications.title", notificationsData{Items: list, Unread: unread})
	s.notice(c, p)
	return s.render(c, http.StatusOK, "notifications", p)
}

// openNotification marks an alert read and goes where it leads (e-mails link here).
func (s *Site) openNotification(c echo.Context) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	n, err := s.deps.Domain.Notification(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, n.Link())
}

func (s *Site) readNotifications(c echo.Context) error {
	if err := s.deps.Domain.MarkNotificationsRead(c.Request().Context()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/notifications?notice=notifications_read")
}

// notificationSettingsData is the form of what a person chooses to be told.
type notificationSettingsData struct {
	Kinds    []referral.NotificationKind
	Settings referral.NotificationSettings
}

func (s *Site) notificationSettingsPage(c echo.Context) error {
	v, err := s.deps.Domain.MyNotificationSettings(c.Request().Context())
	if err != nil {
		return err
	}
	p := s.newPage(c, "notify_settings.title", notificationSettingsData{Kinds: referral.NotificationKinds, Settings: v})
	s.notice(c, p)
	return s.render(c, http.StatusOK, "notify-settings", p)
}

func (s *Site) saveNotificationSettings(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	in := referral.NotificationSettings{Email: form.Get("email") == "on", Language: form.Get("language")}
	for _, k := range form["kinds"] {
		in.Kinds = append(in.Kinds, referral.NotificationKind(k))
	}
	if _, err := s.deps.Domain.SaveNotificationSettings(c.Request().Context(), in); err != nil {
		p := s.newPage(c, "notify_settings.title", notificationSettingsData{Kinds: referral.NotificationKinds, Settings: in})
		return s.refused(c, "notify-settings", p, err)
	}
	return c.Redirect(http.StatusSeeOther, "/settings/notifications?notice=saved")
}
