//! Exercise `value_account`: the deposits that went nowhere.
//!
//! The Go service keeps accounts with value receivers. `Deposit` changes its
//! own copy of the account, and `PayAll` calls it on a copy of each element:
//! every deposit is lost, and nothing fails.
//!
//! ```go
//! type Account struct {
//!     Owner   string
//!     Balance int
//!     History []int
//! }
//!
//! func (a Account) Deposit(n int) {
//!     a.Balance += n
//!     a.History = append(a.History, n)
//! }
//!
//! func PayAll(accounts []Account, n int) {
//!     for _, a := range accounts {
//!         a.Deposit(n)
//!     }
//! }
//! ```
//!
//! Below is the same code ported line for line: each Go copy became a
//! `clone()`. It compiles, and it loses every deposit, as the Go code does.
//! Make the port change the accounts it is given.
//!
//! Grade it: `cargo test -p exercises value_account`

#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub owner: String,
    pub balance: i64,
    pub history: Vec<i64>,
}

impl Account {
    pub fn new(owner: &str) -> Account {
        Account {
            owner: owner.to_string(),
            balance: 0,
            history: Vec::new(),
        }
    }

    /// Go's `func (a Account) Deposit(n int)`: the receiver is a copy.
    pub fn deposit(&self, amount: i64) {
        let mut a = self.clone();
        a.balance += amount;
        a.history.push(amount);
    }
}

/// Go's `PayAll`: `range` hands out a copy of each account.
pub fn pay_all(accounts: &mut [Account], amount: i64) {
    for account in accounts.iter() {
        let a = account.clone(); // Go's range variable: a copy of the element
        a.deposit(amount);
    }
}
