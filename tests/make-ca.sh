#!/bin/sh
# make-ca.sh OUTDIR: the certificates of the test server, made with openssl.
#
#   ca.pem, ca.key          the test CA (basicConstraints critical CA:TRUE,
#                           keyUsage keyCertSign): what hub is told to trust
#                           (HUB_CA_BUNDLE)
#   server.pem, server.key  signed by it, for every name the server answers:
#                           github.com, api.github.com, codeload.github.com,
#                           download.pytorch.org, weights.example, localhost,
#                           127.0.0.1
#   rogue-ca.pem, rogue-ca.key, rogue.pem, rogue.key
#                           a self-signed "rogue" CA with the same subject as
#                           the test CA but another key, and a server
#                           certificate for the same names signed by it: a
#                           client trusting ca.pem must refuse it
#
# Keys are EC P-256 (fast to make; BearSSL and OpenSSL both speak ECDSA);
# HUB_TEST_KEY_TYPE=rsa makes RSA 2048 keys instead.  Nothing is made again if
# OUTDIR already holds a complete set.
set -eu

test $# -eq 1 || { echo "usage: make-ca.sh OUTDIR" >&2; exit 2; }
out=$1
key_type=${HUB_TEST_KEY_TYPE:-ec}
mkdir -p "$out"
cd "$out"

if test -s ca.pem && test -s server.pem && test -s server.key &&
   test -s rogue.pem && test -s rogue.key; then
	exit 0
fi

new_key () {
	case $key_type in
	ec)  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-out "$1" 2>/dev/null ;;
	rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
		-out "$1" 2>/dev/null ;;
	*)   echo "make-ca.sh: HUB_TEST_KEY_TYPE must be ec or rsa" >&2; exit 2 ;;
	esac
	chmod 600 "$1"
}

case $key_type in
ec)  server_key_usage=digitalSignature ;;
rsa) server_key_usage=digitalSignature,keyEncipherment ;;
esac

# Our own config files: the system openssl.cnf adds extensions of its own.
cat >ca.cnf <<EOF
[req]
distinguished_name = dn
prompt = no
x509_extensions = v3_ca
[dn]
O = hub test suite
CN = hub test CA
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
EOF

cat >server.cnf <<EOF
[req]
distinguished_name = dn
prompt = no
[dn]
O = hub test suite
CN = github.com
[v3_server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, $server_key_usage
extendedKeyUsage = serverAuth
subjectAltName = DNS:github.com, DNS:api.github.com, DNS:codeload.github.com, DNS:download.pytorch.org, DNS:weights.example, DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF

# make_pair PREFIX CA-PREFIX: a CA and a server certificate signed by it
make_pair () {
	new_key "$2.key"
	openssl req -new -x509 -config ca.cnf -key "$2.key" -sha256 \
		-days 3650 -set_serial "0x$(openssl rand -hex 8)" -out "$2.pem"
	new_key "$1.key"
	openssl req -new -config server.cnf -key "$1.key" -out "$1.csr"
	openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" \
		-set_serial "0x$(openssl rand -hex 8)" -days 825 -sha256 \
		-extfile server.cnf -extensions v3_server -out "$1.pem" 2>/dev/null
	rm -f "$1.csr"
}

make_pair server ca
make_pair rogue rogue-ca
