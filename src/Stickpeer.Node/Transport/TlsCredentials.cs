// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Stickpeer.Node.Configuration;
using Stickpeer.Protocol.Text;

namespace Stickpeer.Node.Transport;

/// <summary>
/// Certificates loaded once from a TLS configuration line: <c>crt</c> (one PEM with certificate,
/// optional chain and private key) and <c>ca-file</c> (trusted CAs).
/// </summary>
public sealed class TlsCredentials : IDisposable
{
    private readonly X509Certificate2? _certificate;
    private readonly X509Certificate2Collection _chain = [];
    private readonly X509Certificate2Collection _trusted = [];

    public TlsCredentials(TlsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        if (settings.CertificateFile is { } crt)
        {
            _certificate = X509Certificate2.CreateFromPemFile(crt);
            if (!_certificate.HasPrivateKey)
            {
                throw new InvalidOperationException($"'{crt}' holds no private key");
            }

            var all = new X509Certificate2Collection();
            all.ImportFromPemFile(crt);
            foreach (var extra in all)
            {
                if (extra.Thumbprint != _certificate.Thumbprint)
                {
                    _chain.Add(extra);
                }
                else
                {
                    extra.Dispose();
                }
            }

            CertificateContext = SslStreamCertificateContext.Create(_certificate, _chain, offline: true);
        }

        if (settings.CaFile is { } ca)
        {
            _trusted.ImportFromPemFile(ca);
            if (_trusted.Count == 0)
            {
                throw new InvalidOperationException($"'{ca}' holds no certificate");
            }
        }
    }

    public TlsSettings Settings { get; }

    /// <summary>Our certificate with its chain, or null when no <c>crt</c> was configured.</summary>
    public SslStreamCertificateContext? CertificateContext { get; }

    /// <summary>Subject of our certificate, for logs.</summary>
    public string? Subject => _certificate?.Subject;

    /// <summary>Checks <paramref name="certificate"/> against the <c>ca-file</c>; returns null when valid, else why not.</summary>
    internal TlsRejection? Verify(X509Certificate? certificate, X509Chain? presented, string? expectedName)
    {
        if (certificate is null)
        {
            return new(TransportFailure.TlsCertificateRejected, "no certificate presented");
        }

        using var leaf = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (!chain.Build(leaf))
        {
            var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (a, s) => a | s.Status);
            return flags switch
            {
                _ when flags.HasFlag(X509ChainStatusFlags.NotTimeValid) => new TlsRejection(TransportFailure.TlsCertificateExpired, $"certificate '{PrintableText.EscapeControls(leaf.Subject)}' has expired or is not yet valid (valid {leaf.NotBefore:u} to {leaf.NotAfter:u})"),
                _ when flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) || flags.HasFlag(X509ChainStatusFlags.PartialChain) =>
                    new TlsRejection(TransportFailure.TlsUnknownCa, $"certificate '{PrintableText.EscapeControls(leaf.Subject)}' (issuer '{PrintableText.EscapeControls(leaf.Issuer)}') is not signed by a CA of the ca-file"),
                _ => new TlsRejection(TransportFailure.TlsCertificateRejected, $"certificate '{PrintableText.EscapeControls(leaf.Subject)}' rejected: {string.Join(", ", chain.ChainStatus.Select(s => s.Status))}"),
            };
        }

        if (expectedName is not null && !leaf.MatchesHostname(expectedName, allowWildcards: true, allowCommonName: true))
        {
            return new(TransportFailure.TlsNameMismatch, $"certificate '{PrintableText.EscapeControls(leaf.Subject)}' does not match the expected name '{expectedName}'");
        }

        return null;
    }

    public void Dispose()
    {
        _certificate?.Dispose();
        foreach (var c in _chain)
        {
            c.Dispose();
        }

        foreach (var c in _trusted)
        {
            c.Dispose();
        }
    }
}
