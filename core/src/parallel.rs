//! Work shared among the machine's cores: the items are taken in a given order by whichever
//! thread comes free, and the answers are given back in the items' own order, so the result
//! never depends on the threads. Used by [`crate::eval`] (the targets of one large table) and
//! [`crate::groups`] (many groups). On WebAssembly, and on one core, everything runs on the
//! calling thread.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// How many threads to use for `items` pieces of work (at most the machine's cores).
pub(crate) fn workers(items: usize) -> usize {
    if cfg!(target_family = "wasm") {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get().min(items).max(1))
}

/// `f` of each item, taken in `order` (every index once) by `workers` threads, calling
/// `on_done` with the number of items done after each one (from whichever thread did it). When
/// it returns `false` no further item is started and the answer is `None` (cancelled).
/// Otherwise each answer is at its item's position, `None` where an item's thread failed (an
/// engine defect the caller can redo on its own thread).
pub(crate) fn map_in_order<T: Sync, R: Send>(
    items: &[T],
    order: &[usize],
    workers: usize,
    f: &(dyn Fn(&T) -> R + Sync),
    on_done: &(dyn Fn(usize) -> bool + Sync),
) -> Option<Vec<Option<R>>> {
    let finished = AtomicUsize::new(0);
    let cancelled = AtomicBool::new(false);
    let stop = || cancelled.load(Ordering::SeqCst);
    let one = |item: &T| {
        let r = f(item);
        let n = finished.fetch_add(1, Ordering::SeqCst) + 1;
        if !on_done(n) {
            cancelled.store(true, Ordering::SeqCst);
        }
        r
    };
    let mut out: Vec<Option<R>> = items.iter().map(|_| None).collect();
    if workers <= 1 || cfg!(target_family = "wasm") {
        for &i in order {
            if stop() {
                return None;
            }
            if let (Some(item), Some(slot)) = (items.get(i), out.get_mut(i)) {
                *slot = Some(one(item));
            }
        }
        return (!stop()).then_some(out);
    }
    let next = AtomicUsize::new(0);
    let done: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    while !stop() {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&i) = order.get(k) else { break };
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, one(item)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    if stop() {
        return None;
    }
    for (i, r) in done {
        if let Some(slot) = out.get_mut(i) {
            *slot = Some(r);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_keep_the_items_order_whatever_the_threads() {
        let items: Vec<u64> = (0..200).collect();
        let order: Vec<usize> = (0..200).rev().collect();
        for workers in [1, 2, 4] {
            let seen = AtomicUsize::new(0);
            let out = map_in_order(&items, &order, workers, &|x| x * x, &|n| {
                seen.fetch_max(n, Ordering::SeqCst);
                true
            });
            assert_eq!(
                out,
                Some(items.iter().map(|x| Some(x * x)).collect::<Vec<_>>())
            );
            assert_eq!(seen.into_inner(), 200);
        }
    }

    #[test]
    fn a_refusal_cancels_the_rest() {
        let items: Vec<u64> = (0..50).collect();
        let order: Vec<usize> = (0..50).collect();
        for workers in [1, 2] {
            let started = AtomicUsize::new(0);
            let out = map_in_order(
                &items,
                &order,
                workers,
                &|x| {
                    started.fetch_add(1, Ordering::SeqCst);
                    *x
                },
                &|n| n < 3,
            );
            assert!(out.is_none());
            assert!(started.into_inner() < 50);
        }
    }
}
