"""Signing: PKCS#11 tokens, CMS signatures and their verification. No Qt here.

- ``modules``: finding and loading the CAs' PKCS#11 drivers, with plain-words failures;
- ``token``: the Token interface, TokenInfo, SignatureAlgorithm, choosing by label/fingerprint;
- ``certificates``: CertificateInfo (holder, unit, CA, validity, key type, fingerprint);
- ``errors``: PinState and the token errors, mapped from PKCS#11 return codes;
- ``pkcs11_token``: tokens behind a PKCS#11 module (PyKCS11);
- ``fake_token``: a scriptable token with software keys, for tests;
- ``executor``: the one token thread, and the slot watcher;
- ``cms`` / ``der``: detached CAdES-BES SignedData, one SignerInfo per signer;
- ``verify``: verify_detached, used by the desk and by the sandbox treasury;
- ``provision`` / ``testca`` / ``demo_tokens``: SoftHSM2 tokens for tests and ``--demo``.
"""
