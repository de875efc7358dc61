"""A throwaway WebPKI-shaped CA (root -> intermediate -> leaf) for request-verification tests.

cryptography's verifier applies the WebPKI profile strictly, so these certificates
carry what a real CA's do: critical BasicConstraints, KeyUsage, SKI/AKI, SAN, and
EKU serverAuth on the leaf. Keys are generated once per session (RSA 2048 is slow)
and chains are memoised, so tests can ask for them freely.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# The instant tests pretend it is; certificates are valid around it by default.
REFERENCE_TIME = dt.datetime(2026, 11, 26, 0, 41, 46, tzinfo=dt.UTC)
ALEXA_NAME = "echo-api.amazon.com"
_CA_VALIDITY = (REFERENCE_TIME - dt.timedelta(days=365), REFERENCE_TIME + dt.timedelta(days=3650))


@dataclass(frozen=True)
class Chain:
    """What Amazon would serve (`pem`: leaf then intermediate) and the leaf's signing key."""

    pem: bytes
    leaf: x509.Certificate
    leaf_key: rsa.RSAPrivateKey


@functools.cache
def key(name: str) -> rsa.RSAPrivateKey:
    """An RSA 2048 key per role name ("root", "intermediate", "leaf", "stranger", ...), made once."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def sign(body: bytes, private_key: rsa.RSAPrivateKey) -> str:
    """The `Signature-256` header value: base64 of RSA PKCS#1 v1.5 SHA-256 over the raw body."""
    return base64.b64encode(private_key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode("ascii")


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Hamstring Coach Tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=False,
        key_encipherment=not ca,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _issue(
    subject: str,
    subject_key: rsa.RSAPrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: rsa.RSAPrivateKey,
    *,
    ca: bool,
    validity: tuple[dt.datetime, dt.datetime],
    san: str | None = None,
    path_length: int | None = None,
) -> x509.Certificate:
    """One certificate; `issuer=None` makes it self-signed (a root)."""
    public_key = subject_key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer.subject if issuer else _name(subject))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(validity[0])
        .not_valid_after(validity[1])
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
        .add_extension(_key_usage(ca=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
    )
    if san is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(san)]), critical=False)
    if not ca:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


@functools.cache
def _ca(prefix: str) -> tuple[x509.Certificate, x509.Certificate]:
    """(root, intermediate) of the trusted CA (prefix "") or of a rogue one (prefix "rogue ")."""
    root_key, inter_key = key(f"{prefix}root"), key(f"{prefix}intermediate")
    root = _issue(f"{prefix}Throwaway Root", root_key, None, root_key, ca=True, validity=_CA_VALIDITY)
    inter = _issue(
        f"{prefix}Throwaway Intermediate",
        inter_key,
        root,
        root_key,
        ca=True,
        validity=_CA_VALIDITY,
        path_length=0,
    )
    return root, inter


def trusted_root_pem() -> bytes:
    """PEM of the root to pass as `trusted_roots_pem`."""
    return _ca("")[0].public_bytes(serialization.Encoding.PEM)


@functools.cache
def make_chain(
    *,
    san: str = ALEXA_NAME,
    not_before: dt.datetime = REFERENCE_TIME - dt.timedelta(days=1),
    not_after: dt.datetime = REFERENCE_TIME + dt.timedelta(days=30),
    untrusted: bool = False,
) -> Chain:
    """A leaf for `san` under the trusted CA, or under a rogue root nobody trusts."""
    prefix = "rogue " if untrusted else ""
    _, inter = _ca(prefix)
    leaf_key = key("leaf")
    leaf = _issue(
        "Throwaway Leaf",
        leaf_key,
        inter,
        key(f"{prefix}intermediate"),
        ca=False,
        validity=(not_before, not_after),
        san=san,
    )
    pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (leaf, inter))
    return Chain(pem=pem, leaf=leaf, leaf_key=leaf_key)
