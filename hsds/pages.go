package hsds

import (
	"context"
	"math"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
)

// Page is one page of an HSDS listing. Pages are numbered from 1; size is the number of records
// in this page (as the HSDS OpenAPI document describes it), and empty says whether this page
// holds none.
type Page[T any] struct {
	TotalItems int  `json:"total_items"`
	TotalPages int  `json:"total_pages"`
	PageNumber int  `json:"page_number"`
	Size       int  `json:"size"`
	FirstPage  bool `json:"first_page"`
	LastPage   bool `json:"last_page"`
	Empty      bool `json:"empty"`
	Contents   []T  `json:"contents"`
}

// Paging limits of the HSDS listings. The maximum is ListServices' own, so a page is one read.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// Services returns page `page` (from 1) of the directory's services, `size` to a page
// (DefaultPageSize when 0, at most MaxPageSize), fully nested, in ID order, for /hsds/services.
// Inactive services are included with their status.
func (dir *Directory) Services(ctx context.Context, page, size int) (Page[Service], error) {
	page, size = paging(page, size)
	total, err := dir.domain.CountServices(ctx)
	if err != nil {
		return Page[Service]{}, err
	}
	var contents []Service
	if offset, ok := pageOffset(page, size, total); ok {
		services, err := dir.domain.ServicesFrom(ctx, offset, size)
		if err != nil {
			return Page[Service]{}, err
		}
		if contents, err = dir.nest(ctx, services); err != nil {
			return Page[Service]{}, err
		}
	}
	return newPage(contents, total, page, size), nil
}

// Organizations returns page `page` of the organisations that run at least one service, in ID
// order, for /hsds/organizations. Organisations without services (police units, the competent
// authority) are not part of the directory and are not listed.
func (dir *Directory) Organizations(ctx context.Context, page, size int) (Page[Organization], error) {
	page, size = paging(page, size)
	total, err := dir.domain.CountProviders(ctx)
	if err != nil {
		return Page[Organization]{}, err
	}
	var contents []Organization
	if offset, ok := pageOffset(page, size, total); ok {
		providers, err := dir.domain.Providers(ctx, referral.ProviderFilter{Offset: offset, Limit: size})
		if err != nil {
			return Page[Organization]{}, err
		}
		contents = organizations(providers)
	}
	return newPage(contents, total, page, size), nil
}

// Organization returns one organisation of the directory, for /hsds/organizations/{id}; an
// organisation that runs no service is not found.
func (dir *Directory) Organization(ctx context.Context, id uuid.UUID) (Organization, error) {
	providers, err := dir.domain.Providers(ctx, referral.ProviderFilter{IDs: []uuid.UUID{id}})
	if err != nil {
		return Organization{}, err
	}
	if len(providers) == 0 {
		return Organization{}, referral.ErrNotFound
	}
	return organizations(providers)[0], nil
}

// paging turns the asked page and size into valid ones: page 1 and the default size when
// missing, sizes above the maximum capped.
func paging(page, size int) (int, int) {
	if page < 1 {
		page = 1
	}
	switch {
	case size < 1:
		size = DefaultPageSize
	case size > MaxPageSize:
		size = MaxPageSize
	}
	return page, size
}

// pageOffset returns where page `page` starts, and false when it is past the last page (so a
// huge page number can neither overflow nor wrap around to the first page).
func pageOffset(page, size int, total int64) (int, bool) {
	if int64(page-1) >= (total+int64(size)-1)/int64(size) {
		return 0, false
	}
	return (page - 1) * size, true
}

// newPage describes page number `page` of `total` records split `size` to a page.
func newPage[T any](contents []T, total int64, page, size int) Page[T] {
	if contents == nil {
		contents = []T{} // "contents": [] rather than null
	}
	pages := int(math.Ceil(float64(total) / float64(size)))
	return Page[T]{
		TotalItems: int(total), TotalPages: pages, PageNumber: page, Size: len(contents),
		FirstPage: page == 1, LastPage: page >= pages, Empty: len(contents) == 0, Contents: contents,
	}
}
