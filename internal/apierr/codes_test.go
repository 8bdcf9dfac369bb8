package apierr

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// protocolErrors are the documented AWS protocol and SigV4 errors (Cognito API reference,
// "Common Errors") plus cgip's NotImplementedException for operations not built yet; every other
// code must be a Cognito exception in the SDK.
var protocolErrors = map[string]bool{
	"SerializationException":              true,
	"UnknownOperationException":           true,
	"MissingAuthenticationTokenException": true,
	"UnrecognizedClientException":         true,
	"ExpiredTokenException":               true,
	"InvalidSignatureException":           true,
	"IncompleteSignatureException":        true,
	"NotImplementedException":             true,
}

// TestEveryCodeExistsInTheSDK reads the codes this package can emit from its source and checks
// each against service/cognitoidentityprovider/types/errors.go of the AWS SDK for Go v2.
func TestEveryCodeExistsInTheSDK(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider").Output()
	if err != nil {
		t.Fatalf("locating the SDK module: %v", err)
	}
	sdk, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "types", "errors.go"))
	if err != nil {
		t.Fatal(err)
	}
	sdkCodes := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^type (\w+) struct`).FindAllStringSubmatch(string(sdk), -1) {
		sdkCodes[m[1]] = true
	}
	if !sdkCodes["InvalidParameterException"] {
		t.Fatal("could not read the SDK's error types")
	}

	fset := token.NewFileSet()
	pkgs, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	codes := 0
	for _, name := range pkgs {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		codes += scanCodes(t, fset, f, sdkCodes)
	}
	if codes < 10 {
		t.Fatalf("found only %d codes; the scan is broken", codes)
	}
}

// scanCodes checks the literal codes passed to the constructors' helpers in one file.
func scanCodes(t *testing.T, fset *token.FileSet, f *ast.File, sdkCodes map[string]bool) int {
	codes := 0
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		fn, ok := call.Fun.(*ast.Ident)
		if !ok || (fn.Name != "clientErr" && fn.Name != "newf") || len(call.Args) == 0 {
			return true
		}
		lit, ok := call.Args[0].(*ast.BasicLit)
		if !ok {
			return true // the helpers themselves pass the code through
		}
		code, _ := strconv.Unquote(lit.Value)
		codes++
		if !sdkCodes[code] && !protocolErrors[code] {
			t.Errorf("%s: %s is not in the SDK's errors.go nor a documented protocol error", fset.Position(lit.Pos()), code)
		}
		return true
	})
	return codes
}

func TestErrorStatuses(t *testing.T) {
	if e := PoolNotFound("us-east-1_x"); e.Status != 400 || e.Message != "User pool us-east-1_x does not exist." {
		t.Fatalf("%+v", e)
	}
	if e := ClientNotFound("abc"); e.Message != "User pool client abc does not exist." {
		t.Fatalf("%+v", e)
	}
	if e := InternalError(); e.Status != 500 || e.Code != "InternalErrorException" {
		t.Fatalf("%+v", e)
	}
	if e := NotImplemented("AdminGetUser"); e.Status != 501 || e.Message != "cgip does not implement AdminGetUser yet" {
		t.Fatalf("%+v", e)
	}
}
