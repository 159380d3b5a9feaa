package referral_test

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/harbour-nrm/harbour/referral"
)

func TestHoldsNeverOverbook(t *testing.T) {
	d := newDirectory(t)
	s := d.shelter(t, 3)
	const requests = 200
	var wg sync.WaitGroup
	results := make(chan error, requests)
	for range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := d.svc.CreateHold(as(d.Officer), s.ID, referral.HoldInput{Reference: "HB-TEST-01"})
			results <- err
		}()
	}
	wg.Wait()
	close(results)
	ok, full := 0, 0
	for err := range results {
		switch {
		case err == nil:
			ok++
		case referral.ErrorCode(err) == referral.CodeConflict && err.(*referral.Error).MessageID == "error.hold.full":
			full++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 3 || full != requests-3 {
		t.Fatalf("%d holds and %d refusals, want 3 and %d", ok, full, requests-3)
	}
}

func TestHoldLifecycle(t *testing.T) {
	d := newDirectory(t)
	s := d.shelter(t, 1)
	hold := func() (referral.Hold, error) {
		h, _, err := d.svc.CreateHold(as(d.Officer), s.ID, referral.HoldInput{Reference: "HB-7K3M-Q9"})
		return h, err
	}
	t.Run("ExpiryFreesTheBed", func(t *testing.T) {
		h, err := hold()
		if err != nil {
			t.Fatal(err)
		}
		if h.ExpiresAt.Sub(d.clock.Now()) != 4*time.Hour {
			t.Fatalf("expires %v after creation, want the shelter's 4 h", h.ExpiresAt.Sub(d.clock.Now()))
		}
		_, err = hold()
		code(t, err, referral.CodeConflict)
		d.clock.Advance(4*time.Hour + time.Second)
		// The bed is free the moment the hold's time passes, before any job runs.
		second, err := hold()
		if err != nil {
			t.Fatalf("after expiry: %v", err)
		}
		n, err := d.svc.ExpireHolds(t.Context())
		if err != nil || n != 1 {
			t.Fatalf("expired %d holds, %v", n, err)
		}
		if n, _ := d.svc.ExpireHolds(t.Context()); n != 0 {
			t.Fatalf("expired %d holds twice", n)
		}
		first, _ := d.svc.Hold(as(d.Officer), h.ID)
		if first.Status != referral.HoldExpired {
			t.Fatalf("status %s", first.Status)
		}
		if _, err := d.svc.ReleaseHold(as(d.Officer), second.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ReleaseAndRefusals", func(t *testing.T) {
		h, err := hold()
		if err != nil {
			t.Fatal(err)
		}
		_, err = d.svc.ReleaseHold(as(d.OtherStaff), h.ID)
		code(t, err, referral.CodeNotFound)
		_, err = d.svc.ConfirmHold(as(d.Officer), h.ID)
		code(t, err, referral.CodeForbidden)
		_, err = d.svc.CheckIn(as(d.Officer), h.ID, uuid.Nil)
		code(t, err, referral.CodeForbidden)
		_, err = d.svc.CheckIn(as(d.OrgAdmin), h.ID, uuid.Nil)
		code(t, err, referral.CodeForbidden) // an org admin is not shelter staff
		if _, err := d.svc.ReleaseHold(as(d.Officer), h.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := d.svc.ReleaseHold(as(d.Officer), h.ID); err != nil {
			t.Fatalf("releasing twice: %v", err)
		}
		_, err = d.svc.ConfirmHold(as(d.Staff), h.ID)
		code(t, err, referral.CodeConflict)
	})
	t.Run("ConfirmShowsAddressThenCheckInAndOut", func(t *testing.T) {
		h, err := hold()
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := d.svc.Service(as(d.Officer), s.ID); !got.AddressHidden {
			t.Fatal("address shown before the shelter confirmed")
		}
		if _, err := d.svc.ConfirmHold(as(d.Staff), h.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := d.svc.Service(as(d.Officer), s.ID); got.AddressHidden || got.Address == "" {
			t.Fatal("address still hidden from the officer whose hold was confirmed")
		}
		colleague := d.User(t, d.Police, "colleague@police.example", referral.RoleOfficer)
		if got, _ := d.svc.Service(as(colleague), s.ID); !got.AddressHidden {
			t.Fatal("address shown to an officer who holds nothing there")
		}
		pl, err := d.svc.CheckIn(as(d.Staff), h.ID, uuid.Nil)
		if err != nil || pl.Status != referral.PlacementPresent || pl.Reference != "HB-7K3M-Q9" {
			t.Fatalf("check-in %+v %v", pl, err)
		}
		again, err := d.svc.CheckIn(as(d.Staff), h.ID, uuid.Nil)
		if err != nil || again.ID != pl.ID {
			t.Fatalf("second check-in made another placement: %v", err)
		}
		// The bed is taken by the placement, whatever the hold's time.
		d.clock.Advance(10 * time.Hour)
		_, err = hold()
		code(t, err, referral.CodeConflict)
		_, err = d.svc.CheckOut(as(d.OtherStaff), pl.ID, leftHome)
		code(t, err, referral.CodeNotFound)
		if _, err := d.svc.CheckOut(as(d.Staff), pl.ID, leftHome); err != nil {
			t.Fatal(err)
		}
		if _, err := hold(); err != nil {
			t.Fatalf("after check-out: %v", err)
		}
	})
}

func TestHoldRetryAndBoard(t *testing.T) {
	d := newDirectory(t)
	s := d.shelter(t, 2)
	id := uuid.Must(uuid.NewV7())
	in := referral.HoldInput{ID: id, Reference: "HB-AAAA-01"}
	first, created, err := d.svc.CreateHold(as(d.Officer), s.ID, in)
	if err != nil || !created {
		t.Fatal(err)
	}
	again, created, err := d.svc.CreateHold(as(d.Officer), s.ID, in)
	if err != nil || created || again.ID != first.ID {
		t.Fatalf("retried hold: created=%v %v", created, err)
	}
	if _, _, err := d.svc.CheckInWalkIn(as(d.Staff), s.ID, referral.PlacementInput{Reference: "HB-WALK-IN"}); err != nil {
		t.Fatal(err)
	}
	_, _, err = d.svc.CheckInWalkIn(as(d.Staff), s.ID, referral.PlacementInput{})
	code(t, err, referral.CodeConflict)
	boards, err := d.svc.OccupancyBoard(as(d.Staff))
	if err != nil || len(boards) != 1 {
		t.Fatalf("%d boards, %v", len(boards), err)
	}
	u := boards[0].Units[0]
	if u.Total != 2 || u.Held != 1 || u.Placed != 1 || u.Free != 0 || len(boards[0].Holds) != 1 || boards[0].Holds[0].HolderName != "Police" {
		t.Fatalf("board %+v", boards[0])
	}
	_, err = d.svc.Occupancy(as(d.OtherStaff), s.ID)
	code(t, err, referral.CodeForbidden)
	_, err = d.svc.Occupancy(as(d.Officer), s.ID)
	code(t, err, referral.CodeForbidden)
}

func TestHoldEdges(t *testing.T) {
	d := newDirectory(t)
	s := d.shelter(t, 6)
	hold := func() referral.Hold {
		h, _, err := d.svc.CreateHold(as(d.Officer), s.ID, referral.HoldInput{})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	t.Run("ErrReleasedHoldCannotCheckIn", func(t *testing.T) {
		h := hold()
		if _, err := d.svc.ReleaseHold(as(d.Officer), h.ID); err != nil {
			t.Fatal(err)
		}
		_, err := d.svc.CheckIn(as(d.Staff), h.ID, uuid.Nil)
		code(t, err, referral.CodeConflict)
	})
	t.Run("LapsedHoldShowsExpiredAndChecksInIfFree", func(t *testing.T) {
		h := hold()
		d.clock.Advance(5 * time.Hour)
		got, _ := d.svc.Hold(as(d.Officer), h.ID)
		if got.Status != referral.HoldExpired {
			t.Fatalf("a lapsed hold shows %s before the job ran", got.Status)
		}
		if _, err := d.svc.CheckIn(as(d.Staff), h.ID, uuid.Nil); err != nil {
			t.Fatalf("late arrival with a free bed: %v", err)
		}
	})
	t.Run("ErrPlacementIDInUse", func(t *testing.T) {
		pl, _, err := d.svc.CheckInWalkIn(as(d.Staff), s.ID, referral.PlacementInput{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.svc.CheckOut(as(d.Staff), pl.ID, leftHome); err != nil {
			t.Fatal(err)
		}
		_, err = d.svc.CheckIn(as(d.Staff), hold().ID, pl.ID)
		code(t, err, referral.CodeConflict)
	})
	t.Run("ErrRetryWithOtherPlaces", func(t *testing.T) {
		id := uuid.Must(uuid.NewV7())
		if _, _, err := d.svc.CreateHold(as(d.Officer), s.ID, referral.HoldInput{ID: id}); err != nil {
			t.Fatal(err)
		}
		_, _, err := d.svc.CreateHold(as(d.Officer), s.ID, referral.HoldInput{ID: id, Places: 2})
		code(t, err, referral.CodeConflict)
	})
	t.Run("ErrUnknownService", func(t *testing.T) {
		_, err := d.svc.ListHolds(as(d.Officer), uuid.Must(uuid.NewV7()))
		code(t, err, referral.CodeNotFound)
	})
	t.Run("ErrWalkInAtLegalService", func(t *testing.T) {
		cat := referral.CategoryLegal
		in := shelterInput(d.ShelterOrg, 0)
		in.Category, in.Confidential, in.Capacity = &cat, ptr(false), nil
		legal, _, err := d.svc.CreateService(as(d.OrgAdmin), in)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = d.svc.CheckInWalkIn(as(d.Staff), legal.ID, referral.PlacementInput{})
		code(t, err, referral.CodeConflict)
	})
}

func TestAddressHiddenAgainAfterStay(t *testing.T) {
	d := newDirectory(t)
	s := d.shelter(t, 1)
	h, _, err := d.svc.CreateHold(as(d.Officer), s.ID, referral.HoldInput{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.svc.ConfirmHold(as(d.Staff), h.ID); err != nil {
		t.Fatal(err)
	}
	pl, err := d.svc.CheckIn(as(d.Staff), h.ID, uuid.Nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := d.svc.Service(as(d.Officer), s.ID); got.AddressHidden {
		t.Fatal("hidden while she is staying there")
	}
	if _, err := d.svc.CheckOut(as(d.Staff), pl.ID, leftHome); err != nil {
		t.Fatal(err)
	}
	if got, _ := d.svc.Service(as(d.Officer), s.ID); !got.AddressHidden {
		t.Fatal("the address stays visible after she left")
	}
}

// TestCheckOutTwiceAtOnce frees her bed once, however many check-outs race: the other person
// staying keeps hers.
func TestCheckOutTwiceAtOnce(t *testing.T) {
	d := newDirectory(t)
	s := d.shelter(t, 2)
	var pls []referral.Placement
	for range 2 {
		pl, _, err := d.svc.CheckInWalkIn(as(d.Staff), s.ID, referral.PlacementInput{})
		if err != nil {
			t.Fatal(err)
		}
		pls = append(pls, pl)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := d.svc.CheckOut(as(d.Staff), pls[0].ID, leftHome)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("check-out: %v", err)
		}
	}
	if _, _, err := d.svc.CreateHold(as(d.Officer), s.ID, referral.HoldInput{}); err != nil {
		t.Fatal(err)
	}
	_, _, err := d.svc.CreateHold(as(d.Officer), s.ID, referral.HoldInput{})
	code(t, err, referral.CodeConflict)
}

// TestBoardAsEachShelter keeps the organisation's board, read for all its shelters at once,
// the same as each shelter's own board.
func TestBoardAsEachShelter(t *testing.T) {
	d := newDirectory(t)
	a, b := d.shelter(t, 2), d.shelter(t, 3)
	if _, _, err := d.svc.CreateHold(as(d.Officer), a.ID, referral.HoldInput{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.svc.CheckInWalkIn(as(d.Staff), b.ID, referral.PlacementInput{Places: 2}); err != nil {
		t.Fatal(err)
	}
	boards, err := d.svc.OccupancyBoard(as(d.Staff))
	if err != nil || len(boards) != 2 {
		t.Fatalf("%d boards, %v", len(boards), err)
	}
	for _, board := range boards {
		own, err := d.svc.Occupancy(as(d.Staff), board.Service.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := json.Marshal(board)
		want, _ := json.Marshal(own)
		if string(got) != string(want) {
			t.Fatalf("board\n%s\nwant\n%s", got, want)
		}
	}
	free := map[uuid.UUID]int{}
	for _, board := range boards {
		free[board.Service.ID] = board.Units[0].Free
	}
	if free[a.ID] != 1 || free[b.ID] != 1 {
		t.Fatalf("free beds %v, want 1 in each", free)
	}
}

// leftHome is the check-out the hold tests use: she went back home.
var leftHome = referral.CheckOutInput{Outcome: referral.OutcomeReturnedHome}
