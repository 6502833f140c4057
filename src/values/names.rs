//! The contract's enumerations, each wire name written once.
//!
//! [`wire_enum!`] declares an enum together with its names in documents,
//! and from that one list derives reading (`from_name`), writing
//! (`as_str`, `Display`, serde's `Serialize`, the canonical writer) and,
//! with the `testing` feature, the enumeration the generated types hold.

/// Declare a public enum whose variants are written as the given strings.
macro_rules! wire_enum {
    (
        $(#[doc = $doc:literal])*
        pub enum $name:ident {
            $( $(#[doc = $vdoc:literal])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[doc = $vdoc])* $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            #[allow(dead_code)] // not every enumeration needs it
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name in documents.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $wire, )+
                }
            }

            /// The variant of this name in documents.
            pub fn from_name(name: &str) -> Option<$name> {
                match name {
                    $( $wire => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        #[cfg(feature = "testing")]
        impl $name {
            /// The enumeration's names, for the generated types.
            #[allow(dead_code)] // not every enumeration is in a document
            pub(crate) fn enumeration() -> $crate::schema::Enumeration {
                $crate::schema::Enumeration {
                    name: stringify!($name),
                    doc: $crate::schema::doc(&[$($doc),*]),
                    values: vec![ $( ($wire, $crate::schema::doc(&[$($vdoc),*])), )+ ],
                }
            }
        }

        #[cfg(feature = "testing")]
        impl $crate::schema::Described for $name {
            fn ty() -> $crate::schema::Ty {
                $crate::schema::Ty::Enum(stringify!($name))
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl $crate::wire::canonical::ToJson for $name {
            fn to_json(&self, out: &mut String) {
                $crate::wire::canonical::write_str(out, self.as_str());
            }
        }
    };
}
pub(crate) use wire_enum;

wire_enum! {
    /// The pricing stages, in the order they run.
    pub enum Stage {
        /// Markdowns, multi-buys and presale expansion, per line.
        Item = "item",
        /// Promotions of one store.
        Store = "store",
        /// Cross-store promotions (跨店).
        CrossStore = "cross_store",
        /// Platform promotions and coupons.
        Platform = "platform",
        /// Government subsidies (国补, 以旧换新), after every other goods
        /// promotion.
        Subsidy = "subsidy",
        /// Shipping promotions and coupons (包邮, 运费券).
        Shipping = "shipping",
    }
}

wire_enum! {
    /// Who pays for a promotion (reported, and summed by settlement).
    pub enum Funder {
        /// The merchant.
        Store = "store",
        /// The platform (e.g. 百亿补贴, 跨店满减).
        Platform = "platform",
        /// The government (国补).
        Government = "government",
    }
}

wire_enum! {
    /// The kinds of promotion.
    pub enum Kind {
        /// 直降 / 限时折扣 / 秒杀 / 百亿补贴.
        Markdown = "markdown",
        /// 第N件X折 / 第二件半价 / 买N免M.
        MultiBuy = "multi_buy",
        /// 满减 / 每满减 / 满件减 and coupons with a threshold.
        ThresholdOff = "threshold_off",
        /// 满折 / 满件折 / 折扣券.
        ThresholdRate = "threshold_rate",
        /// 国补 / 以旧换新.
        Subsidy = "subsidy",
        /// 包邮 / 运费券.
        ShippingOff = "shipping_off",
        /// 满赠 (version 3): gifts once a threshold is met, in the store stage.
        Gift = "gift",
    }
}

wire_enum! {
    /// What a threshold counts: money (`amount`) or units (`count`).
    pub enum Basis {
        /// The sum of the snapshot amounts over the lines in scope.
        Amount = "amount",
        /// The sum of the quantities of the lines in scope.
        Count = "count",
    }
}

wire_enum! {
    /// The amounts a threshold is judged on (`threshold_on`): the list
    /// amounts, or the amounts after a stage.
    pub enum Snapshot {
        /// `unit_price * qty`.
        List = "list",
        /// After the item stage.
        Item = "item",
        /// After the store stage.
        Store = "store",
        /// After the cross-store stage.
        CrossStore = "cross_store",
    }
}

wire_enum! {
    /// Why a held coupon was not applied (contract section 5), in the
    /// order the reasons are tried.
    pub enum UnusedReason {
        /// No coupon promotion has this id.
        UnknownCoupon = "unknown_coupon",
        /// Outside its window.
        Inactive = "inactive",
        /// Its `audience` does not match the buyer.
        NotEligible = "not_eligible",
        /// No line of the cart is in its scope (for a shipping coupon: no
        /// line in scope belongs to a shipping group).
        NoLinesInScope = "no_lines_in_scope",
        /// No tier is met on the base it would have had in this quote.
        ThresholdNotMet = "threshold_not_met",
        /// It would not lower `payable`, its slot went to another coupon,
        /// or `apply` did not list it.
        NotChosen = "not_chosen",
    }
}

wire_enum! {
    /// Why a price-protection claim is zero.
    pub enum ClaimReason {
        /// Asked outside the protection window.
        Expired = "expired",
    }
}

wire_enum! {
    /// What a tender's balance is counted in (抵扣, contract section 2).
    pub enum TenderKind {
        /// Points (积分, 京豆, 淘金币), each worth the tender's `unit_value`.
        Points = "points",
        /// Credit in money (红包, 购物金, 礼品卡, a trade-in valuation).
        Credit = "credit",
    }
}

wire_enum! {
    /// Who funds a tender (summed by settlement).
    pub enum TenderFunder {
        /// The buyer's own prepaid money (礼品卡, 购物金本金, a trade-in valuation).
        Buyer = "buyer",
        /// The merchant: settlement takes it off what the store receives.
        Store = "store",
        /// The platform.
        Platform = "platform",
        /// The government.
        Government = "government",
    }
}

wire_enum! {
    /// Why a tender of the cart paid nothing, in the order the reasons are
    /// tried.
    pub enum TenderReason {
        /// No line of the cart is in its scope.
        NoLinesInScope = "no_lines_in_scope",
        /// Its lines in scope do not reach its `at`.
        ThresholdNotMet = "threshold_not_met",
        /// The balance, or `use`, is 0.
        NoBalance = "no_balance",
        /// Nothing it may pay for is still owed.
        NothingDue = "nothing_due",
        /// Its `max_share` limit or its `max_points` is 0.
        Capped = "capped",
        /// The points left after every limit, rounded down to its `step`, are 0.
        BelowStep = "below_step",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::from_name(s.as_str()), Some(*s));
        }
        assert_eq!(Stage::from_name("Item"), None);
        assert_eq!(UnusedReason::NotChosen.to_string(), "not_chosen");
    }
}
