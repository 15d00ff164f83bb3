using Parley.Auth;
using Parley.Tests.Support;

namespace Parley.Tests.Auth;

public sealed class PasswordHashingPoolTests
{
    [Fact]
    public async Task Work_runs_on_the_pools_own_threads_not_the_thread_pool()
    {
        using var pool = new PasswordHashingPool(workers: 2, queueLength: 4);

        Assert.True(pool.TryRun(() => (Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name), out var result));

        var (threadPool, name) = await result.WaitAsync(TestTimeout.Token());
        Assert.False(threadPool);
        Assert.StartsWith("parley password hashing", name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Past_the_queue_work_is_refused_at_once()
    {
        using var pool = new PasswordHashingPool(workers: 1, queueLength: 1);
        using var gate = new ManualResetEventSlim();
        Assert.True(pool.TryRun(() => gate.Wait(TestTimeout.Default), out var running));
        await Poll.UntilAsync(() => pool.Running == 1, "the first item to start");
        Assert.True(pool.TryRun(() => 2, out var queued));

        var accepted = pool.TryRun(() => 3, out _);

        Assert.False(accepted);
        gate.Set();
        Assert.True(await running.WaitAsync(TestTimeout.Token()));
        Assert.Equal(2, await queued.WaitAsync(TestTimeout.Token()));
        Assert.True(pool.TryRun(() => 4, out var later));
        Assert.Equal(4, await later.WaitAsync(TestTimeout.Token()));
    }

    [Fact]
    public async Task An_exception_in_the_work_reaches_the_caller_and_the_pool_goes_on()
    {
        using var pool = new PasswordHashingPool(workers: 1, queueLength: 2);

        Assert.True(pool.TryRun<int>(() => throw new InvalidOperationException("boom"), out var failed));
        Assert.True(pool.TryRun(() => 5, out var fine));

        await Assert.ThrowsAsync<InvalidOperationException>(() => failed.WaitAsync(TestTimeout.Token()));
        Assert.Equal(5, await fine.WaitAsync(TestTimeout.Token()));
    }

    [Fact]
    public async Task Addresses_take_turns_at_the_hashing_thread_whatever_one_of_them_queued()
    {
        using var pool = new PasswordHashingPool(workers: 1, queueLength: 16);
        using var gate = new ManualResetEventSlim();
        var order = new List<string>();
        Assert.True(pool.TryRun(() => gate.Wait(TestTimeout.Default), out var held));
        await Poll.UntilAsync(() => pool.Running == 1, "the worker held");
        var queued = new List<Task<int>>();
        foreach (var address in (string[])["flood", "flood", "flood", "flood", "other"])
        {
            Assert.True(pool.TryRun(address, HashingPurpose.SignIn, () => { lock (order) { order.Add(address); } return 0; }, out var run));
            queued.Add(run);
        }

        gate.Set();
        await Task.WhenAll(queued).WaitAsync(TestTimeout.Token());

        Assert.True(await held);
        Assert.Equal(["flood", "other", "flood", "flood", "flood"], order);
    }

    [Fact]
    public async Task One_address_holds_at_most_its_share_and_registrations_leave_room_for_sign_ins()
    {
        using var pool = new PasswordHashingPool(workers: 1, queueLength: 8, maxQueuedPerAddress: 3, maxQueuedRegistrations: 4);
        using var gate = new ManualResetEventSlim();
        Assert.True(pool.TryRun(() => gate.Wait(TestTimeout.Default), out var held));
        await Poll.UntilAsync(() => pool.Running == 1, "the worker held");

        var fromOne = Enumerable.Range(0, 4).Select(i => pool.TryRun("a", HashingPurpose.SignIn, () => 0, out _)).ToList();
        var registrations = Enumerable.Range(0, 5).Select(i => pool.TryRun($"r{i}", HashingPurpose.Registration, () => 0, out _)).ToList();
        var signIn = pool.TryRun("b", HashingPurpose.SignIn, () => 0, out _);
        gate.Set();

        Assert.Equal([true, true, true, false], fromOne);
        Assert.Equal([true, true, true, true, false], registrations);
        Assert.True(signIn);
        Assert.True(await held);
    }
}
