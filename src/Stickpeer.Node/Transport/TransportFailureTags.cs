// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Transport;

/// <summary>Metric tag values of <see cref="TransportFailure"/> (kept stable: dashboards select on them).</summary>
internal static class TransportFailureTags
{
    /// <summary>True for failures of the TLS layer (the TCP connection itself was up).</summary>
    public static bool IsTls(this TransportFailure failure) => failure is TransportFailure.PlaintextPeersHello
        or TransportFailure.NotTlsHandshake
        or TransportFailure.TlsCertificateExpired
        or TransportFailure.TlsUnknownCa
        or TransportFailure.TlsNoClientCertificate
        or TransportFailure.TlsNameMismatch
        or TransportFailure.TlsCertificateRejected
        or TransportFailure.TlsHandshakeError
        or TransportFailure.TlsHandshakeTimedOut;

    public static string TlsFailureTag(this TransportFailure failure) => failure switch
    {
        TransportFailure.PlaintextPeersHello => "plaintext_peers_hello",
        TransportFailure.NotTlsHandshake => "not_tls_handshake",
        TransportFailure.TlsCertificateExpired => "expired",
        TransportFailure.TlsUnknownCa => "unknown_ca",
        TransportFailure.TlsNoClientCertificate => "no_client_certificate",
        TransportFailure.TlsNameMismatch => "name_mismatch",
        TransportFailure.TlsCertificateRejected => "rejected",
        TransportFailure.TlsHandshakeTimedOut => "timeout",
        _ => "handshake_error",
    };
}
