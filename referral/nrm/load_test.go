package nrm

import "testing"

func TestShippedLoads(t *testing.T) {
	s, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if s.Default().Code != "GB-EAW" || len(s.Codes()) != 5 {
		t.Fatalf("default %s, codes %v", s.Default().Code, s.Codes())
	}
}
