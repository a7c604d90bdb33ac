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
//! Reference solution: `&mut self` is Go's pointer receiver, spelled out;
//! the method changes the caller's account. `for a in accounts` over a
//! `&mut [Account]` lends each element itself, as Go's `accounts[i]` would.

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

    pub fn deposit(&mut self, amount: i64) {
        self.balance += amount;
        self.history.push(amount);
    }
}

pub fn pay_all(accounts: &mut [Account], amount: i64) {
    for a in accounts {
        a.deposit(amount);
    }
}
