package api

import (
	"net/http"

	"github.com/harbour-nrm/harbour/referral"
	"github.com/labstack/echo/v4"
)

type tokenRequest struct {
	Name string `json:"name"`
}

// tokenCreated is the one response that ever shows a token's secret.
type tokenCreated struct {
	referral.APIToken
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
	return c.JSON(http.StatusCreated, tokenCreated{APIToken: t, Token: secret})
}

func (s *Server) listTokens(c echo.Context) error { return itemsByID(c, s.deps.Domain.ListTokens) }

func (s *Server) revokeToken(c echo.Context) error { return byID(c, s.deps.Domain.RevokeToken) }
