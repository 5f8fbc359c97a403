package main
import (_ "github.com/antonmedv/expr"; _ "github.com/expr-lang/expr")
func main(){}
