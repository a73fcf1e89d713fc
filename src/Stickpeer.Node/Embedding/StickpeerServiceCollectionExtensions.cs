// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stickpeer.Node.Embedding;

// The conventional namespace of Add* extensions, so that `services.AddStickpeer` needs no extra using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an embedded Stickpeer node.</summary>
public static class StickpeerServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="StickpeerNode"/> (a singleton: inject it to reach <see cref="StickpeerNode.Tables"/>)
    /// and a hosted service that starts and stops it with the host. The options are validated here, so a mistake
    /// fails at start-up with every problem listed. The node takes the container's <see cref="TimeProvider"/>,
    /// <see cref="ILoggerFactory"/> and <see cref="IMeterFactory"/> when they are registered.
    /// </summary>
    /// <exception cref="StickpeerOptionsException">The options are not usable.</exception>
    /// <exception cref="InvalidOperationException">A node is registered already.</exception>
    public static IServiceCollection AddStickpeer(this IServiceCollection services, Action<StickpeerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(d => d.ServiceType == typeof(StickpeerNode)))
        {
            throw new InvalidOperationException("AddStickpeer was called twice: one node per service provider (create more with new StickpeerNode(options))");
        }

        var options = new StickpeerOptions();
        configure(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new StickpeerOptionsException(errors);
        }

        services.AddSingleton(options);
        services.AddSingleton(sp => new StickpeerNode(
            options,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<IMeterFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StickpeerHostedService>(
            sp => new StickpeerHostedService(sp.GetRequiredService<StickpeerNode>())));
        return services;
    }
}
