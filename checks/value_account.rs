// Checks for `value_account`, compiled into `exercises` and `solutions`.
// `exercise` is the module under test (your `exercises/src/value_account.rs`).
//
// The checks call `deposit` on a `&mut Account`, so they compile whether
// `deposit` takes `&self` (the starter) or `&mut self` (the fix).

use exercise::Account;
use grader::run;

const ID: &str = "value_account";

const NO_LOOP: &str = "A deposit only adds a number and pushes it; a loop that never ends is the likely cause.";

fn account(owner: &str, balance: i64, history: &[i64]) -> Account {
    Account {
        owner: owner.to_string(),
        balance,
        history: history.to_vec(),
    }
}

/// The deposits both checks make: a repeated amount, a 0 and a negative one
/// (a withdrawal) are amounts like any other.
const AMOUNTS: [i64; 5] = [5, 7, 7, 0, -4];
const DEPOSITS: &str =
    "`ann.deposit(5); ann.deposit(7); ann.deposit(7); ann.deposit(0); ann.deposit(-4)`";

#[test]
fn deposit_changes_the_account_it_is_called_on() {
    let ann = run(ID, DEPOSITS, NO_LOOP, || {
        let ann = &mut Account::new("ann");
        for amount in AMOUNTS {
            ann.deposit(amount);
        }
        ann.clone()
    });
    let why = if ann.balance == 0 {
        "Does `deposit` change the account it is called on, or a copy of it?"
    } else {
        "Every amount is added as it is, a repeated one, a 0 and a negative one too."
    };
    grader::ensure(
        ann.balance == 15,
        ID,
        format!(
            "after {DEPOSITS} on a new account, `ann.balance` is {}; expected 15. {why}",
            ann.balance
        ),
    );
    // An opening balance that no deposit made: the fields are public, and the
    // balance is the account's, not a sum the history can rebuild.
    let bo = run(ID, DEPOSITS, NO_LOOP, || {
        let bo = &mut account("bo", 50, &[]);
        for amount in AMOUNTS {
            bo.deposit(amount);
        }
        bo.clone()
    });
    grader::ensure(
        bo.balance == 65,
        ID,
        format!(
            "after the same deposits on an account opened with a balance of 50 and an empty \
             history, its balance is {}; expected 65. `deposit` adds the amount to the balance \
             the account has: the history lists the deposits, it does not make the balance.",
            bo.balance
        ),
    );
}

#[test]
fn deposit_records_each_amount_in_order() {
    let ann = run(ID, DEPOSITS, NO_LOOP, || {
        let ann = &mut account("ann", 100, &[100]);
        for amount in AMOUNTS {
            ann.deposit(amount);
        }
        ann.clone()
    });
    let expected = [100, 5, 7, 7, 0, -4];
    let said = format!(
        "after {DEPOSITS} on an account with history [100], `ann.history` is {:?}; expected \
         {expected:?}",
        ann.history
    );
    if ann.history == [100] {
        grader::fail(
            ID,
            format!(
                "{said}. The account's own history never grew: is the amount pushed onto \
                 it, or onto a copy of it?"
            ),
        );
    }
    let mut sorted = ann.history.clone();
    sorted.sort_unstable();
    let mut sorted_expected = expected;
    sorted_expected.sort_unstable();
    if ann.history != expected && sorted == sorted_expected {
        grader::fail(
            ID,
            format!(
                "{said}. Every amount is there, but not in the order of the deposits: the \
                 oldest first, each new one at the end."
            ),
        );
    }
    if ann.history.len() < expected.len() && ann.history.iter().all(|h| expected.contains(h)) {
        grader::fail(
            ID,
            format!(
                "{said}. Some deposits were not recorded: each amount is one entry, a \
                 repeated one, a 0 and a negative one too."
            ),
        );
    }
    grader::ensure(
        ann.history == expected,
        ID,
        format!("{said}. The history holds each amount deposited, not a balance."),
    );
    grader::ensure(
        ann.owner == "ann",
        ID,
        format!("`deposit` changed the owner to {:?}", ann.owner),
    );
}

#[test]
fn pay_all_pays_every_account() {
    let accounts = run(
        ID,
        "`pay_all(&mut accounts, 10)`",
        NO_LOOP,
        || {
            let mut accounts = vec![
                account("ann", 0, &[]),
                account("bob", 5, &[5]),
                account("cy", -3, &[-3]),
                account("ann", 1, &[1]), // ann's second account: paid too
            ];
            exercise::pay_all(&mut accounts, 10);
            exercise::pay_all(&mut [], 10); // nothing to pay, nothing to fail
            accounts
        },
    );
    let expected = vec![
        account("ann", 10, &[10]),
        account("bob", 15, &[5, 10]),
        account("cy", 7, &[-3, 10]),
        account("ann", 11, &[1, 10]),
    ];
    if accounts.iter().map(|a| a.balance).eq([0, 5, -3, 1]) {
        grader::fail(
            ID,
            "after `pay_all(&mut accounts, 10)` no account in the caller's slice changed: \
             the deposits went into copies. Which accounts does the loop hand to `deposit`?",
        );
    }
    grader::ensure(
        accounts == expected,
        ID,
        format!(
            "after `pay_all(&mut accounts, 10)` the caller's accounts are {accounts:?}; \
             expected {expected:?}: one deposit of 10 into each, in place (two accounts of \
             one owner are two accounts)"
        ),
    );
}
