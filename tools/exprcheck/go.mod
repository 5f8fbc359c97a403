module rehearse.local/tools/exprcheck

go 1.22

require (
	github.com/antonmedv/expr v1.15.5
	github.com/expr-lang/expr v1.17.8
)
