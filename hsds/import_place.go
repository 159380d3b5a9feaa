package hsds

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/harbour-nrm/harbour/referral"
)

// place is the location chosen for a service, with its address.
type place struct {
	field    string
	location *Location
	address  *Address
}

// pickLocation chooses the service's location: the first physical one, else the first; and of
// its addresses the first physical one, else the first.
func (imp *importer) pickLocation(h Service) place {
	var p place
	n := 0
	for i, sal := range h.ServiceAtLocations {
		if sal.Location == nil {
			continue
		}
		n++
		if p.location == nil || (p.location.LocationType != "physical" && sal.Location.LocationType == "physical") {
			p.location, p.field = sal.Location, fmt.Sprintf("service_at_locations[%d].location", i)
		}
	}
	if n > 1 {
		imp.warn("service_at_locations", warnLocations, map[string]any{"Count": n - 1})
	}
	if p.location != nil {
		for i := range p.location.Addresses {
			a := &p.location.Addresses[i]
			if p.address == nil || (p.address.AddressType != "physical" && a.AddressType == "physical") {
				p.address = a
			}
		}
	}
	return p
}

// country returns the address's country when it is an ISO 3166-1 alpha-2 code.
func (p place) country() string {
	if p.address == nil {
		return ""
	}
	return countryOf(p.address.Country)
}

// countryOf returns s as Harbour stores a country code, or "" when it is not one.
func countryOf(s string) string {
	if c, ok := referral.CountryCode(s); ok {
		return c
	}
	return ""
}

// locate sets the address and coordinates. A new service without a city or country gets the
// fallbacks; a confidential shelter's address and coordinates are kept when the record has
// none, as Harbour's exports never carry them.
func (imp *importer) locate(p place, creating, complete, confidential bool, org referral.Organisation, in *referral.ServiceInput) {
	if p.address != nil {
		a := *p.address
		f := p.field + ".addresses[0]"
		if city := imp.text(f+".city", a.City, 100); city != "" {
			in.City = &city
		}
		region := a.StateProvince
		if strings.TrimSpace(region) == "" {
			region = a.Region
		}
		in.Region = ptr(imp.text(f+".state_province", region, 100))
		street := strings.TrimSpace(imp.text(f+".address_1", a.Address1, 300))
		if extra := imp.text(f+".address_2", a.Address2, 300); extra != "" {
			street = strings.TrimPrefix(street+", "+extra, ", ")
		}
		street = imp.text(f+".address_1", street, 300)
		postal := imp.text(f+".postal_code", a.PostalCode, 1000)
		if utf8.RuneCountInString(postal) > 20 {
			imp.warnWith(f+".postal_code", warnTruncated, msgPostalCodeTooLong, map[string]any{"PostalCode": postal})
			postal = ""
		}
		if !(confidential && street == "" && postal == "") {
			in.Address, in.PostalCode = &street, &postal
		}
		if c := p.country(); c != "" {
			in.Country = &c
		} else if creating {
			imp.warnCountry(f+".country", a.Country, org.Country)
			in.Country = &org.Country
		}
	}
	where := "service_at_locations"
	if p.location != nil {
		where = p.field + ".addresses"
	}
	if creating && in.City == nil {
		imp.warn(where, warnCity, map[string]any{"City": noCity})
		in.City = ptr(noCity)
	}
	if creating && in.Country == nil {
		imp.warnCountry(where, "", org.Country)
		in.Country = &org.Country
	}
	if p.location == nil {
		return
	}
	lat, lon := p.location.Latitude, p.location.Longitude
	switch {
	case lat != nil && lon != nil && *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180:
		in.Latitude, in.Longitude = ptr(ptr(*lat)), ptr(ptr(*lon))
	case lat != nil || lon != nil:
		imp.warn(p.field+".latitude", warnCoordinates, map[string]any{"Latitude": deref(lat), "Longitude": deref(lon)})
		if creating {
			in.Latitude, in.Longitude = ptr[*float64](nil), ptr[*float64](nil)
		}
	case complete && !confidential:
		in.Latitude, in.Longitude = ptr[*float64](nil), ptr[*float64](nil)
	}
}
