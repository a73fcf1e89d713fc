// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Security;
using System.Security.Authentication;
using Stickpeer.Node.Configuration;

namespace Stickpeer.Node.Transport;

/// <summary>Runs one TLS handshake the way HAProxy's bind/server options describe it, and remembers why it failed.</summary>
internal sealed class TlsHandshake
{
    private const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    private readonly TlsCredentials _credentials;

    public TlsHandshake(TlsCredentials credentials)
    {
        _credentials = credentials;
    }

    /// <summary>Why the certificate check failed, when it did.</summary>
    public TlsRejection? VerificationFailure { get; private set; }

    public SslServerAuthenticationOptions ServerOptions()
    {
        var settings = _credentials.Settings;
        var askClient = settings.Verify is TlsVerifyMode.Required or TlsVerifyMode.Optional;
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _credentials.CertificateContext,
            ClientCertificateRequired = askClient,
            EnabledSslProtocols = Protocols,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                if (!askClient)
                {
                    return true;
                }

                if (certificate is null)
                {
                    if (settings.Verify == TlsVerifyMode.Optional)
                    {
                        return true;
                    }

                    VerificationFailure = new(TransportFailure.TlsNoClientCertificate, "the peer sent no client certificate (bind has 'verify required')");
                    return false;
                }

                VerificationFailure = _credentials.Verify(certificate, chain, expectedName: null);
                return VerificationFailure is null;
            },
        };
    }

    public SslClientAuthenticationOptions ClientOptions()
    {
        var settings = _credentials.Settings;
        return new SslClientAuthenticationOptions
        {
            // HAProxy sends SNI only when 'sni' is configured.
            TargetHost = settings.Sni ?? string.Empty,
            ClientCertificateContext = _credentials.CertificateContext,
            EnabledSslProtocols = Protocols,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                if (settings.Verify == TlsVerifyMode.None)
                {
                    return true;
                }

                VerificationFailure = _credentials.Verify(certificate, chain, settings.ExpectedName);
                return VerificationFailure is null;
            },
        };
    }
}
