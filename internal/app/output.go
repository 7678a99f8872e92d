package app

import (
	"io"
	"reflect"

	"github.com/danielgtaylor/huma/v2"
)

// marshalJSON is huma's JSON encoding of a response body with every nil slice in it sent
// as []: the document declares no array nullable (huma.DefaultArrayNullable is off), so an
// empty list must never reach a client as null, whichever module built it.
func marshalJSON(w io.Writer, v any) error {
	rv := reflect.ValueOf(v)
	if rv.IsValid() && rv.Kind() != reflect.Pointer {
		p := reflect.New(rv.Type()) // addressable, so that its nil slices can be set
		p.Elem().Set(rv)
		rv, v = p, p.Interface()
	}
	emptySlices(rv)
	return huma.DefaultJSONFormat.Marshal(w, v)
}

// emptySlices replaces the nil slices reachable from v — through pointers, interfaces,
// exported struct fields and slice elements — with empty ones. Byte slices are left alone:
// they are raw JSON or base64, and nil means null there.
func emptySlices(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			emptySlices(v.Elem())
		}
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			if t.Field(i).IsExported() {
				emptySlices(v.Field(i))
			}
		}
	case reflect.Slice:
		switch {
		case v.Type().Elem().Kind() == reflect.Uint8:
		case v.IsNil():
			if v.CanSet() {
				v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			}
		default:
			for i := range v.Len() {
				emptySlices(v.Index(i))
			}
		}
	}
}
