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

#[test]
fn deposit_changes_the_account_it_is_called_on() {
    let ann = run(
        ID,
        "`ann.deposit(5); ann.deposit(7)`",
        NO_LOOP,
        || {
            let ann = &mut Account::new("ann");
            ann.deposit(5);
            ann.deposit(7);
            ann.clone()
        },
    );
    grader::ensure(
        ann.balance == 12,
        ID,
        format!(
            "after `ann.deposit(5); ann.deposit(7)` on a new account, `ann.balance` is {}; \
             expected 12. Does `deposit` change the account it is called on, or a copy of it?",
            ann.balance
        ),
    );
}

#[test]
fn deposit_records_each_amount_in_order() {
    let ann = run(
        ID,
        "`ann.deposit(5); ann.deposit(7)`",
        NO_LOOP,
        || {
            let ann = &mut account("ann", 100, &[100]);
            ann.deposit(5);
            ann.deposit(7);
            ann.clone()
        },
    );
    let said = format!(
        "after `ann.deposit(5); ann.deposit(7)` on an account with history [100], \
         `ann.history` is {:?}; expected [100, 5, 7]",
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
    if ann.history != [100, 5, 7] && sorted == [5, 7, 100] {
        grader::fail(
            ID,
            format!(
                "{said}. Every amount is there, but not in the order of the deposits: the \
                 oldest first, each new one at the end."
            ),
        );
    }
    grader::ensure(ann.history == [100, 5, 7], ID, said);
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
    ];
    if accounts.iter().map(|a| a.balance).eq([0, 5, -3]) {
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
             expected {expected:?}: one deposit of 10 into each, in place"
        ),
    );
}
