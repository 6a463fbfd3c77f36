package authlib

import "strings"

// AWSRegionService reads the region and the service from a standard AWS
// host name (a port is ignored):
//
//	sqs.eu-west-1.amazonaws.com             eu-west-1, sqs
//	iam.amazonaws.com                       us-east-1, iam (a global endpoint)
//	abc.execute-api.us-east-2.amazonaws.com us-east-2, execute-api
//	bucket.s3.amazonaws.com                 us-east-1, s3
//	bucket.s3.eu-west-1.amazonaws.com       eu-west-1, s3 (also s3-eu-west-1, s3.dualstack.eu-west-1)
//	search-x.eu-west-1.es.amazonaws.com     eu-west-1, es (OpenSearch; aoss for Serverless)
//	abc.lambda-url.us-east-1.on.aws         us-east-1, lambda
//	kms-fips.us-east-1.amazonaws.com        us-east-1, kms
//
// China's amazonaws.com.cn hosts are read the same way. ok is false for
// any other host: give the region and the service.
func AWSRegionService(host string) (region, service string, ok bool) {
	h := asciiLower(host)
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	h = strings.TrimSuffix(h, ".")
	var rest string
	lambdaURL := false
	switch {
	case strings.HasSuffix(h, ".amazonaws.com"):
		rest = strings.TrimSuffix(h, ".amazonaws.com")
	case strings.HasSuffix(h, ".amazonaws.com.cn"):
		rest = strings.TrimSuffix(h, ".amazonaws.com.cn")
	case strings.HasSuffix(h, ".on.aws"):
		rest, lambdaURL = strings.TrimSuffix(h, ".on.aws"), true
	default:
		return "", "", false
	}
	l := strings.Split(rest, ".")
	n := len(l)
	last := l[n-1]
	switch {
	case lambdaURL:
		// <id>.lambda-url.<region>.on.aws
		if n >= 3 && l[n-2] == "lambda-url" && awsRegion(last) {
			return last, "lambda", true
		}
		return "", "", false
	case (last == "es" || last == "aoss") && n >= 3 && awsRegion(l[n-2]):
		// <domain>.<region>.es.amazonaws.com
		return l[n-2], last, true
	case last == "s3" || last == "s3-external-1":
		// s3.amazonaws.com, <bucket>.s3.amazonaws.com: the global endpoint
		return "us-east-1", "s3", true
	case strings.HasPrefix(last, "s3-") && awsRegion(last[3:]):
		// s3-<region>, <bucket>.s3-<region>
		return last[3:], "s3", true
	case n == 1:
		// iam.amazonaws.com, sts.amazonaws.com: global endpoints
		return "us-east-1", strings.TrimSuffix(last, "-fips"), awsScopePart(last)
	case !awsRegion(last):
		return "", "", false
	}
	// <service>.<region>, <x>.<service>.<region>,
	// <service>.dualstack.<region>, <bucket>.s3.dualstack.<region>,
	// <bucket>.s3-accesspoint.<region>
	svc := l[n-2]
	if svc == "dualstack" && n >= 3 {
		svc = l[n-3]
	}
	svc = strings.TrimSuffix(svc, "-fips")
	switch svc {
	case "s3-accesspoint", "s3-control", "s3-website":
		svc = "s3"
	}
	return last, svc, awsScopePart(svc)
}

// awsRegion reports a name shaped like an AWS region: "us-east-1",
// "us-gov-west-1", "cn-north-1", "eu-central-2", "us-isob-east-1".
func awsRegion(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || len(parts[0]) != 2 {
		return false
	}
	num := parts[len(parts)-1]
	if num == "" {
		return false
	}
	for i := 0; i < len(num); i++ {
		if num[i] < '0' || num[i] > '9' {
			return false
		}
	}
	for _, p := range parts[:len(parts)-1] {
		if p == "" {
			return false
		}
		for i := 0; i < len(p); i++ {
			if p[i] < 'a' || p[i] > 'z' {
				return false
			}
		}
	}
	return true
}
