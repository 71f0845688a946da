use super::*;

/// The end of the fault, and the call timeout after it (calls made just before the end fail
/// a timeout later).
fn fault_over() -> u64 {
    FAULT_START_MS + FAULT_MS + RunConfig::default().call_timeout_ms
}

fn with(f: impl FnOnce(&mut CompareSettings)) -> Comparison {
    let mut s = CompareSettings::default();
    f(&mut s);
    compare(&s).expect("the comparison runs")
}

/// The first moment after the fault when Logistics' lag is down to `at_most` orders.
fn drained(side: &SideResult, at_most: u64) -> Option<u64> {
    side.samples
        .iter()
        .find(|s| s.at > FAULT_START_MS + FAULT_MS && s.lag <= at_most)
        .map(|s| s.at)
}

#[test]
fn both_boards_are_valid_and_hazard_checked() {
    let s = CompareSettings::default();
    for board in [request_board(&s), event_board(&s)] {
        let text = crate::model::save(&board);
        assert_eq!(crate::model::load(&text).expect("a valid board"), board);
    }
}

#[test]
fn logistics_down_cascades_to_the_customer_only_in_the_request_chain() {
    let c = with(|_| {});
    let before = c.request.at(FAULT_START_MS);
    assert_eq!(before.failed, 0, "nothing fails before the fault");
    assert!(
        c.request.at(fault_over()).failed > 30,
        "orders fail while Logistics is down: {:?}",
        c.request.at(fault_over())
    );
    assert_eq!(
        c.request.at(fault_over()).failed,
        c.request.failed,
        "and only then"
    );
    assert!(
        c.request.at(FAULT_START_MS + FAULT_MS / 2).waiting >= 5,
        "while it is down, every customer waits for the timeout"
    );
    assert_eq!(
        c.request.worst_wait_ms,
        RunConfig::default().call_timeout_ms + 60
    );
    assert_eq!(c.event.failed, 0, "the event side takes every order");
    assert!(
        c.event.samples.iter().all(|s| s.waiting <= 1),
        "and answers each at once"
    );
    let end = c.request.at(DURATION_MS);
    assert_eq!(
        end.taken + end.failed + end.waiting,
        c.event.accepted,
        "the same orders on both sides (the last still waiting for its answer in the chain)"
    );
    assert_eq!(
        c.request.shipped, c.request.accepted,
        "the chain ships what it accepted"
    );
}

#[test]
fn with_the_defaults_one_consumer_falls_behind_and_six_drain_the_lag() {
    let one = with(|_| {});
    let six = with(|s| s.logistics_consumers = 6);
    assert!(
        one.event.peak > 40,
        "the outage's work waits in the topic: {}",
        one.event.peak
    );
    let end = one.event.at(DURATION_MS).lag;
    assert!(end > 25, "one consumer has not caught up by the end: {end}");
    let when = drained(&six.event, 2).expect("six consumers drain the lag");
    assert!(
        when <= FAULT_START_MS + FAULT_MS + 4_000,
        "within seconds of the fault's end: {when} ms"
    );
    assert!(
        six.event.shipped + 2 >= six.event.accepted,
        "six consumers ship every order: {} of {}",
        six.event.shipped,
        six.event.accepted
    );
    assert_eq!(
        six.request, one.request,
        "consumers change nothing in the chain"
    );
}

#[test]
fn each_consumer_added_drains_the_lag_sooner() {
    let times: Vec<u64> = (1..=PARTITIONS)
        .map(|n| drained(&with(|s| s.logistics_consumers = n).event, 2).unwrap_or(u64::MAX))
        .collect();
    assert_eq!(
        times[0],
        u64::MAX,
        "one consumer never drains it: {times:?}"
    );
    assert!(
        times.windows(2).all(|w| w[1] <= w[0]),
        "never later with more: {times:?}"
    );
    assert!(times[5] < times[1], "six drain sooner than two: {times:?}");
}

#[test]
fn a_slow_logistics_slows_everything_in_the_chain_but_only_lags_the_events() {
    let c = with(|s| s.fault = CompareFault::LogisticsSlow);
    assert_eq!(
        c.request.failed, 0,
        "slow is not down: {:?}",
        c.request.failed
    );
    assert!(
        c.request.worst_wait_ms >= SLOW_EXTRA_MS + DEFAULT_LOGISTICS_MS,
        "the customer waits for Logistics: {}",
        c.request.worst_wait_ms
    );
    assert!(
        c.event.worst_wait_ms < 100,
        "not on the event side: {}",
        c.event.worst_wait_ms
    );
    assert_eq!(c.event.failed, 0);
    assert!(
        c.event.peak > 30,
        "one slow consumer falls behind: {}",
        c.event.peak
    );
    let six = with(|s| {
        s.fault = CompareFault::LogisticsSlow;
        s.logistics_consumers = 6;
    });
    assert!(
        six.event.peak * 3 / 2 < c.event.peak,
        "six consumers fall behind less: {} vs {}",
        six.event.peak,
        c.event.peak
    );
}

#[test]
fn samples_run_from_start_to_end_and_totals_only_grow() {
    let c = with(|_| {});
    for side in [&c.request, &c.event] {
        assert_eq!(side.samples.len() as u64, DURATION_MS / SAMPLE_MS + 1);
        assert_eq!(side.samples[0].at, 0);
        assert_eq!(side.samples.last().map(|s| s.at), Some(DURATION_MS));
        assert!(side.samples.windows(2).all(|w| w[0].failed <= w[1].failed
            && w[0].taken <= w[1].taken
            && w[0].shipped <= w[1].shipped
            && w[0].worst_wait_ms <= w[1].worst_wait_ms));
        assert_eq!(side.at(DURATION_MS + 5_000), *side.samples.last().unwrap());
        assert_eq!(side.at(SAMPLE_MS * 3 + 1), side.samples[3]);
    }
}

#[test]
fn both_sides_share_one_axis_that_holds_the_taller() {
    let c = with(|_| {});
    let axis = c.axis();
    let tallest = c.request.largest().max(c.event.largest());
    assert!(
        axis.top >= tallest && axis.top - axis.step < tallest,
        "{axis:?} for {tallest}"
    );
    assert_eq!(
        c.event.largest(),
        c.event.peak,
        "the lag is the event side's tallest"
    );
    assert_eq!(
        c.request.largest(),
        c.request.failed,
        "failures the chain's"
    );
}

#[test]
fn an_axis_has_a_few_round_steps() {
    assert_eq!(Axis::holding(0), Axis { top: 5, step: 1 });
    assert_eq!(Axis::holding(7), Axis { top: 8, step: 2 });
    assert_eq!(Axis::holding(48), Axis { top: 50, step: 10 });
    assert_eq!(Axis::holding(61), Axis { top: 80, step: 20 });
    assert_eq!(Axis::holding(250), Axis { top: 250, step: 50 });
    assert_eq!(
        Axis::holding(48).ticks().collect::<Vec<_>>(),
        vec![0, 10, 20, 30, 40, 50]
    );
    assert!(Axis::holding(u64::MAX).top >= u64::MAX / 2);
}

#[test]
fn the_same_settings_give_the_same_comparison() {
    let s = CompareSettings::default();
    assert_eq!(compare(&s).unwrap(), compare(&s).unwrap());
}
