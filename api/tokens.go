package api

import (
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

type tokenRequest struct {
	Name string `json:"name"`
}

// tokenView is an API token as the API shows it: its prefix, which tells tokens apart, never
// the secret or its hash.
type tokenView struct {
	ID         uuid.UUID  `json:"id"`
	UserID     uuid.UUID  `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

func newTokenView(t referral.APIToken) tokenView {
	return tokenView{ID: t.ID, UserID: t.UserID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt,
		LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt}
}

// tokenCreated is the one response that ever shows a token's secret.
type tokenCreated struct {
	tokenView
	Token string `json:"token"`
}

func (s *Server) createToken(c echo.Context) error {
	var req tokenRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	t, secret, err := s.deps.Domain.CreateToken(ctx, referral.ActorFrom(ctx).UserID, req.Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, tokenCreated{tokenView: newTokenView(t), Token: secret})
}

func (s *Server) listTokens(c echo.Context) error {
	return itemsByID(c, s.deps.Domain.ListTokens, newTokenView)
}

func (s *Server) revokeToken(c echo.Context) error {
	return viewByID(c, s.deps.Domain.RevokeToken, newTokenView)
}
