module parley.invalid/goecho

go 1.19
