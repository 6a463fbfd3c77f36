//go:build js && wasm

package jsapi

import (
	"github.com/hack-pad/safejs"
)

// authlib.client(msg, fn, onToken) → {id, prepare, resume, failed,
// answer, aws4Signed, logout, close}: msg is the options' message (wire), fn and onToken the
// functions that crossed beside it; id names the client in the lean calls
// (lean_js.go). The client keeps its scheme between calls: a Digest nonce
// is reused, so N requests cost N+1 exchanges.
func jsClient(_ safejs.Value, args []safejs.Value) any {
	var s settings
	m, err := decode(arg(args, 0))
	if err == nil {
		err = s.apply(m, arg(args, 1), arg(args, 2))
	}
	if err != nil {
		return toAuthError(err)
	}
	s.answer = answerer(s)
	id := leanRegister(s)
	obj := newObject()
	obj.Set("id", id)
	var fns []safejs.Func
	for name, fn := range map[string]func(safejs.Value, []safejs.Value) any{"prepare": jsPrepare(s), "resume": jsResume(s), "failed": jsFailed(s), "answer": jsAnswer(s), "aws4Signed": jsAWSSigned(s), "logout": jsLogout(s)} {
		g, err := safejs.FuncOf(guard(fn))
		if err != nil {
			return toAuthError(err)
		}
		obj.Set(name, g)
		fns = append(fns, g)
	}
	var closeFn safejs.Func
	closeFn, err = safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		for _, g := range fns {
			g.Release()
		}
		delete(leanClients, id)
		closeFn.Release()
		return nil
	})
	if err == nil {
		obj.Set("close", closeFn)
	}
	return obj
}
