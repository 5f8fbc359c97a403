// Command exprcheck evaluates Argo Rollouts AnalysisTemplate conditions (successCondition /
// failureCondition) with the real expr-lang builds that Argo Rollouts links against, so that
// rehearse's hand-written evaluator (sim/analysis/condition/) can be checked differentially
// (test/differential/conditions/).
//
//	version "1.15": github.com/antonmedv/expr v1.15.5 (Argo Rollouts v1.7 – v1.9)
//	version "1.17": github.com/expr-lang/expr v1.17.8 (Argo Rollouts v1.10)
//
// Protocol: one JSON object per line on stdin, one JSON object per line on stdout, in order.
//
//	request  {"id": "...", "version": "1.15"|"1.17", "mode": "condition"|"assess",
//	          "condition": "...",                                  (mode "condition", the default)
//	          "successCondition": "...", "failureCondition": "...", (mode "assess")
//	          "resultKind": "float64"|"[]float64"|"json", "result": <JSON>}
//	response {"id": "...", "outcome": "true"|"false"|"error", "error": "..."}          (condition)
//	         {"id": "...", "outcome": "Successful"|"Failed"|"Inconclusive"|"Error", "error": "..."} (assess)
//	         {"id": "...", "outcome": "bad-request", "error": "..."} for a malformed request
//
// resultKind gives `result` the Go type Argo passes to EvalCondition:
//   - "float64": a Prometheus scalar (metricproviders/prometheus/prometheus.go processResponse);
//   - "[]float64": a Prometheus vector or matrix, a non-nil slice even when empty
//     (prometheus.go sampleValuesToFloatSlice);
//   - "json": the body decoded by encoding/json into `any` (metricproviders/webmetric/webmetric.go
//     parseResponse), i.e. map[string]any, []any, float64, string, bool or nil.
//
// JSON has no NaN or infinities, so for "float64" and "[]float64" a number may also be given as a
// string parsed with strconv.ParseFloat ("NaN", "+Inf", "-Inf", "Inf", or any decimal).
//
// The helpers and the evaluation below are our own code reproducing the semantics of
// argo-rollouts utils/evaluate/evaluate.go (v1.9.1 for "1.15", v1.10.0-rc1 for "1.17").
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"strconv"

	expr15 "github.com/antonmedv/expr"
	file15 "github.com/antonmedv/expr/file"
	expr17 "github.com/expr-lang/expr"
	file17 "github.com/expr-lang/expr/file"
)

type request struct {
	ID               string          `json:"id"`
	Version          string          `json:"version"`
	Mode             string          `json:"mode"`
	Condition        string          `json:"condition"`
	SuccessCondition string          `json:"successCondition"`
	FailureCondition string          `json:"failureCondition"`
	ResultKind       string          `json:"resultKind"`
	Result           json.RawMessage `json:"result"`
}

type response struct {
	ID      string `json:"id"`
	Outcome string `json:"outcome"`
	Error   string `json:"error,omitempty"`
}

// engine is the part of expr that differs between the two module paths.
type engine struct {
	// eval compiles with expr.Env(env), runs, and returns expr's output, with Argo's unwrapping of
	// *file.Error (EvalCondition's unwrapFileErr: a type assertion, not errors.As).
	eval func(condition string, env map[string]any) (any, error)
}

var engines = map[string]engine{
	"1.15": {eval: func(condition string, env map[string]any) (any, error) {
		unwrap := func(err error) error {
			if fe, ok := err.(*file15.Error); ok {
				return errors.New(fe.Message)
			}
			return err
		}
		program, err := expr15.Compile(condition, expr15.Env(env))
		if err != nil {
			return nil, unwrap(err)
		}
		out, err := expr15.Run(program, env)
		if err != nil {
			return nil, unwrap(err)
		}
		return out, nil
	}},
	"1.17": {eval: func(condition string, env map[string]any) (any, error) {
		unwrap := func(err error) error {
			if fe, ok := err.(*file17.Error); ok {
				return errors.New(fe.Message)
			}
			return err
		}
		program, err := expr17.Compile(condition, expr17.Env(env))
		if err != nil {
			return nil, unwrap(err)
		}
		out, err := expr17.Run(program, env)
		if err != nil {
			return nil, unwrap(err)
		}
		return out, nil
	}},
}

// ---- Argo's helpers (utils/evaluate/evaluate.go), same semantics ----

// isInfHelper: evaluate.go isInf.
func isInfHelper(f float64) bool { return math.IsInf(f, 0) }

// asIntHelper: evaluate.go asInt — Go conversions of the built-in numeric types (float → int64
// truncates toward zero; NaN gives math.MinInt64 on amd64), strconv.ParseInt(s, 10, 64) for
// strings; anything else (and an unparsable string) panics, which expr's VM turns into an error.
func asIntHelper(in any) int64 {
	switch v := in.(type) {
	case float64:
		return int64(v)
	case float32:
		return int64(v)
	case int64:
		return v
	case int32:
		return int64(v)
	case int16:
		return int64(v)
	case int8:
		return int64(v)
	case int:
		return int64(v)
	case uint64:
		return int64(v)
	case uint32:
		return int64(v)
	case uint16:
		return int64(v)
	case uint8:
		return int64(v)
	case uint:
		return int64(v)
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			panic(err)
		}
		return n
	}
	panic(fmt.Sprintf("asInt() not supported on %v %v", reflect.TypeOf(in), in))
}

// asFloatHelper: evaluate.go asFloat — as asIntHelper with float64 and strconv.ParseFloat.
func asFloatHelper(in any) float64 {
	switch v := in.(type) {
	case float64:
		return v
	case float32:
		return float64(v)
	case int64:
		return float64(v)
	case int32:
		return float64(v)
	case int16:
		return float64(v)
	case int8:
		return float64(v)
	case int:
		return float64(v)
	case uint64:
		return float64(v)
	case uint32:
		return float64(v)
	case uint16:
		return float64(v)
	case uint8:
		return float64(v)
	case uint:
		return float64(v)
	case string:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			panic(err)
		}
		return f
	}
	panic(fmt.Sprintf("asFloat() not supported on %v %v", reflect.TypeOf(in), in))
}

// isNilValue: evaluate.go isNil — nil, or a nil pointer/map/chan/slice (reflect's IsNil; Argo also
// lists reflect.Array, for which IsNil panics — kept, unreachable with JSON or Prometheus results).
func isNilValue(in any) bool {
	if in == nil {
		return true
	}
	switch reflect.TypeOf(in).Kind() {
	case reflect.Ptr, reflect.Map, reflect.Array, reflect.Chan, reflect.Slice:
		return reflect.ValueOf(in).IsNil()
	}
	return false
}

// derefValue: evaluate.go valueFromPointer.
func derefValue(in any) any {
	if isNilValue(in) {
		return nil
	}
	if reflect.TypeOf(in).Kind() != reflect.Ptr {
		return in
	}
	return reflect.ValueOf(in).Elem().Interface()
}

// conditionEnv: the environment of evaluate.go EvalCondition. Note that `isNil` and `default`
// ignore their first argument and look at the whole measurement result (isNilFunc, defaultFunc).
func conditionEnv(result any) map[string]any {
	return map[string]any{
		"result":  derefValue(result),
		"asInt":   asIntHelper,
		"asFloat": asFloatHelper,
		"isNaN":   math.IsNaN,
		"isInf":   isInfHelper,
		"isNil":   func(_ any) bool { return isNilValue(result) },
		"default": func(_ any, fallback any) any {
			if isNilValue(result) {
				return fallback
			}
			return derefValue(result)
		},
	}
}

// evalCondition: evaluate.go EvalCondition.
func evalCondition(eng engine, result any, condition string) (bool, error) {
	out, err := eng.eval(condition, conditionEnv(result))
	if err != nil {
		return false, err
	}
	if b, ok := out.(bool); ok {
		return b, nil
	}
	return false, fmt.Errorf("expected bool, but got %T", out)
}

// isNilOrEmpty: evaluate.go (v1.10) isNilOrEmpty.
func isNilOrEmpty(result any) bool {
	if isNilValue(result) {
		return true
	}
	v := reflect.ValueOf(result)
	if v.Kind() == reflect.Slice || v.Kind() == reflect.Array {
		return v.Len() == 0
	}
	return false
}

// evaluateResult: evaluate.go EvaluateResult; wrap selects v1.10's formatEvalError.
func evaluateResult(eng engine, wrap bool, result any, success, failure string) (string, error) {
	format := func(err error, kind, text string) error {
		if !wrap {
			return err
		}
		if isNilOrEmpty(result) {
			return fmt.Errorf("could not evaluate %s \"%s\": metric result is nil or empty: no data returned from the metric provider", kind, text)
		}
		return fmt.Errorf("could not evaluate %s \"%s\": %w", kind, text, err)
	}
	var ok, failed bool
	var err error
	if success != "" {
		if ok, err = evalCondition(eng, result, success); err != nil {
			return "Error", format(err, "successCondition", success)
		}
	}
	if failure != "" {
		if failed, err = evalCondition(eng, result, failure); err != nil {
			return "Error", format(err, "failureCondition", failure)
		}
	}
	switch {
	case success == "" && failure == "":
		return "Successful", nil
	case success != "" && failure == "":
		failed = !ok
	case success == "" && failure != "":
		ok = !failed
	}
	if failed {
		return "Failed", nil
	}
	if !ok {
		return "Inconclusive", nil
	}
	return "Successful", nil
}

// ---- protocol ----

func parseFloatItem(raw any) (float64, error) {
	switch v := raw.(type) {
	case float64:
		return v, nil
	case string:
		return strconv.ParseFloat(v, 64)
	}
	return 0, fmt.Errorf("not a number: %v", raw)
}

func decodeResult(kind string, raw json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, errors.New("missing result")
	}
	var decoded any
	if err := json.Unmarshal(raw, &decoded); err != nil {
		return nil, err
	}
	switch kind {
	case "float64":
		return parseFloatItem(decoded)
	case "[]float64":
		items, ok := decoded.([]any)
		if !ok {
			return nil, errors.New("[]float64 result must be a JSON array")
		}
		values := make([]float64, 0, len(items))
		for _, item := range items {
			f, err := parseFloatItem(item)
			if err != nil {
				return nil, err
			}
			values = append(values, f)
		}
		return values, nil
	case "json":
		return decoded, nil
	}
	return nil, fmt.Errorf("unknown resultKind %q", kind)
}

func handle(line []byte) (resp response) {
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		return response{Outcome: "bad-request", Error: err.Error()}
	}
	resp.ID = req.ID
	eng, ok := engines[req.Version]
	if !ok {
		return response{ID: req.ID, Outcome: "bad-request", Error: fmt.Sprintf("unknown version %q", req.Version)}
	}
	result, err := decodeResult(req.ResultKind, req.Result)
	if err != nil {
		return response{ID: req.ID, Outcome: "bad-request", Error: err.Error()}
	}
	// expr recovers panics inside its VM; anything escaping (a checker bug) would crash Argo's
	// controller. Report it as an error whose message says so.
	defer func() {
		if p := recover(); p != nil {
			resp = response{ID: req.ID, Outcome: "error", Error: fmt.Sprintf("exprcheck: panic: %v", p)}
		}
	}()
	switch req.Mode {
	case "", "condition":
		b, err := evalCondition(eng, result, req.Condition)
		if err != nil {
			return response{ID: req.ID, Outcome: "error", Error: err.Error()}
		}
		return response{ID: req.ID, Outcome: strconv.FormatBool(b)}
	case "assess":
		phase, err := evaluateResult(eng, req.Version == "1.17", result, req.SuccessCondition, req.FailureCondition)
		resp = response{ID: req.ID, Outcome: phase}
		if err != nil {
			resp.Error = err.Error()
		}
		return resp
	}
	return response{ID: req.ID, Outcome: "bad-request", Error: fmt.Sprintf("unknown mode %q", req.Mode)}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 0, 1<<16), 1<<26)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		if len(in.Bytes()) == 0 {
			continue
		}
		if err := enc.Encode(handle(in.Bytes())); err != nil {
			fmt.Fprintln(os.Stderr, "exprcheck:", err)
			os.Exit(2)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "exprcheck:", err)
		os.Exit(2)
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "exprcheck:", err)
		os.Exit(2)
	}
}
