module github.com/authlib-go/authlib

go 1.24

require github.com/hack-pad/safejs v0.1.0 // indirect
