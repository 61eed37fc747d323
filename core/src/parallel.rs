//! Work shared among the machine's cores: the items are taken in a given order by whichever
//! thread comes free, and the answers are given back in the items' own order, so the result
//! never depends on the threads. Used by [`crate::eval`] (the targets of one large table) and
//! [`crate::groups`] (many groups). On WebAssembly, and on one core, everything runs on the
//! calling thread.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// How many threads to use for `items` pieces of work (at most the machine's cores).
pub(crate) fn workers(items: usize) -> usize {
    if cfg!(target_family = "wasm") {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get().min(items).max(1))
}

/// Work shared out item by item: `f` of each item, taken in `order` (every index once) by
/// whichever threads call [`Shared::work`], as they come free (a thread may join in late: the
/// one that hashed a dataset, once its hash is done). `on_done` gets the number of items done
/// after each one (from whichever thread did it); when it returns `false` no further item is
/// started.
pub(crate) struct Shared<'a, T, R> {
    items: &'a [T],
    order: &'a [usize],
    f: &'a (dyn Fn(&T) -> R + Sync),
    on_done: &'a (dyn Fn(usize) -> bool + Sync),
    next: AtomicUsize,
    finished: AtomicUsize,
    cancelled: AtomicBool,
    done: Mutex<Vec<(usize, R)>>,
}

impl<'a, T: Sync, R: Send> Shared<'a, T, R> {
    pub(crate) fn new(
        items: &'a [T],
        order: &'a [usize],
        f: &'a (dyn Fn(&T) -> R + Sync),
        on_done: &'a (dyn Fn(usize) -> bool + Sync),
    ) -> Self {
        Shared {
            items,
            order,
            f,
            on_done,
            next: AtomicUsize::new(0),
            finished: AtomicUsize::new(0),
            cancelled: AtomicBool::new(false),
            done: Mutex::new(Vec::with_capacity(items.len())),
        }
    }

    fn stopped(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    /// Takes items and does them until none is left (or the work is cancelled). A thread that
    /// fails in `f` loses only its own answers: their items stay undone.
    pub(crate) fn work(&self) {
        let mut mine = Vec::new();
        while !self.stopped() {
            let k = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(&i) = self.order.get(k) else { break };
            let Some(item) = self.items.get(i) else { break };
            mine.push((i, (self.f)(item)));
            let n = self.finished.fetch_add(1, Ordering::SeqCst) + 1;
            if !(self.on_done)(n) {
                self.cancelled.store(true, Ordering::SeqCst);
            }
        }
        self.done
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(mine);
    }

    /// Each answer at its item's position, `None` where an item was not done (its thread
    /// failed: an engine defect the caller can redo on its own thread); `None` when cancelled.
    pub(crate) fn into_results(self) -> Option<Vec<Option<R>>> {
        if self.stopped() {
            return None;
        }
        let mut out: Vec<Option<R>> = self.items.iter().map(|_| None).collect();
        for (i, r) in self
            .done
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
        {
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(r);
            }
        }
        Some(out)
    }
}

/// Runs `workers` threads on `shared` and waits for them (on the calling thread when there is
/// one worker, or on WebAssembly).
pub(crate) fn run<T: Sync, R: Send>(shared: &Shared<'_, T, R>, workers: usize) {
    if workers <= 1 || cfg!(target_family = "wasm") {
        shared.work();
        return;
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers).map(|_| s.spawn(|| shared.work())).collect();
        for h in handles {
            // A failed thread's items are left undone (see `Shared::work`).
            let _ = h.join();
        }
    });
}

/// `f` of each item, taken in `order` (every index once) by `workers` threads (see
/// [`Shared`]): each answer at its item's position, `None` where an item's thread failed;
/// `None` when `on_done` cancelled the work.
pub(crate) fn map_in_order<T: Sync, R: Send>(
    items: &[T],
    order: &[usize],
    workers: usize,
    f: &(dyn Fn(&T) -> R + Sync),
    on_done: &(dyn Fn(usize) -> bool + Sync),
) -> Option<Vec<Option<R>>> {
    let shared = Shared::new(items, order, f, on_done);
    run(&shared, workers);
    shared.into_results()
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
