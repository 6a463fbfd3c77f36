module github.com/authlib-go/authlib

go 1.24
