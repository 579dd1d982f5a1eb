fn all_found(keys: &[u32], table: &Table) -> Option<()> {
    {
        let () = {
            let __failfast_outcome = match keys {
                __failfast_input => {
                    use ::failfast::parallel_loop::{
                        PulledByCaller as _, SharedByWorkers as _, SplitByIndex as _,
                    };
                    static __FAILFAST_SITE: ::failfast::__private::LoopSite = ::failfast::__private::LoopSite::new();
                    if false {
                        ::failfast::parallel_loop::shared_by_iterations_concrete(
                            (&table),
                        );
                        if let ::core::option::Option::Some(__failfast_returned) = ::failfast::parallel_loop::returned() {
                            if false {
                                return __failfast_returned;
                            }
                            let (_, __failfast_failure) = {
                                use ::failfast::parallel_loop::{
                                    NoParts as _, SplitParts as _,
                                };
                                (&::failfast::parallel_loop::parts_of(&__failfast_returned))
                                    .__failfast_parts()
                            };
                            if let ::core::option::Option::Some(__failfast_failure) = __failfast_failure {
                                let __failfast_whole = ::failfast::parallel_loop::whole(
                                    &__failfast_failure,
                                );
                                let __failfast_checks = (&__failfast_whole)
                                    .__failfast_checks();
                                if let ::core::option::Option::Some(__failfast_held) = __failfast_whole
                                    .value()
                                {
                                    let (__failfast_first, __failfast_second) = {
                                        use ::failfast::parallel_loop::{
                                            NoParts as _, SplitParts as _,
                                        };
                                        (&::failfast::parallel_loop::parts_of(&__failfast_held))
                                            .__failfast_parts()
                                    };
                                    if let ::core::option::Option::Some(__failfast_first) = __failfast_first {
                                        let (__failfast_inner, __failfast_other) = {
                                            use ::failfast::parallel_loop::{
                                                NoParts as _, SplitParts as _,
                                            };
                                            (&::failfast::parallel_loop::parts_of(&__failfast_first))
                                                .__failfast_parts()
                                        };
                                        if let ::core::option::Option::Some(__failfast_inner) = __failfast_inner {
                                            __failfast_checks.exit(&__failfast_inner);
                                        }
                                        if let ::core::option::Option::Some(__failfast_other) = __failfast_other {
                                            __failfast_checks.exit(&__failfast_other);
                                        }
                                        __failfast_checks.exit(&__failfast_first);
                                    }
                                    if let ::core::option::Option::Some(__failfast_second) = __failfast_second {
                                        let (__failfast_inner, __failfast_other) = {
                                            use ::failfast::parallel_loop::{
                                                NoParts as _, SplitParts as _,
                                            };
                                            (&::failfast::parallel_loop::parts_of(&__failfast_second))
                                                .__failfast_parts()
                                        };
                                        if let ::core::option::Option::Some(__failfast_inner) = __failfast_inner {
                                            __failfast_checks.exit(&__failfast_inner);
                                        }
                                        if let ::core::option::Option::Some(__failfast_other) = __failfast_other {
                                            __failfast_checks.exit(&__failfast_other);
                                        }
                                        __failfast_checks.exit(&__failfast_second);
                                    }
                                }
                                ::failfast::parallel_loop::sent_back(&__failfast_failure);
                            }
                            return __failfast_returned;
                        }
                        let _ = ::core::iter::IntoIterator::into_iter(
                            ::failfast::parallel_loop::value_like(&__failfast_input),
                        );
                        let __failfast_whole = ::failfast::parallel_loop::whole_item(
                            &__failfast_input,
                        );
                        let __failfast_checks = (&__failfast_whole).__failfast_checks();
                        if let ::core::option::Option::Some(__failfast_held) = __failfast_whole
                            .value()
                        {
                            let (__failfast_first, __failfast_second) = {
                                use ::failfast::parallel_loop::{
                                    NoParts as _, SplitParts as _,
                                };
                                (&::failfast::parallel_loop::parts_of(&__failfast_held))
                                    .__failfast_parts()
                            };
                            if let ::core::option::Option::Some(__failfast_first) = __failfast_first {
                                let (__failfast_inner, __failfast_other) = {
                                    use ::failfast::parallel_loop::{
                                        NoParts as _, SplitParts as _,
                                    };
                                    (&::failfast::parallel_loop::parts_of(&__failfast_first))
                                        .__failfast_parts()
                                };
                                if let ::core::option::Option::Some(__failfast_inner) = __failfast_inner {
                                    __failfast_checks.item_concrete(&__failfast_inner);
                                }
                                if let ::core::option::Option::Some(__failfast_other) = __failfast_other {
                                    __failfast_checks.item_concrete(&__failfast_other);
                                }
                                __failfast_checks.item_concrete(&__failfast_first);
                            }
                            if let ::core::option::Option::Some(__failfast_second) = __failfast_second {
                                let (__failfast_inner, __failfast_other) = {
                                    use ::failfast::parallel_loop::{
                                        NoParts as _, SplitParts as _,
                                    };
                                    (&::failfast::parallel_loop::parts_of(&__failfast_second))
                                        .__failfast_parts()
                                };
                                if let ::core::option::Option::Some(__failfast_inner) = __failfast_inner {
                                    __failfast_checks.item_concrete(&__failfast_inner);
                                }
                                if let ::core::option::Option::Some(__failfast_other) = __failfast_other {
                                    __failfast_checks.item_concrete(&__failfast_other);
                                }
                                __failfast_checks.item_concrete(&__failfast_second);
                            }
                        }
                        if let ::core::option::Option::Some(__failfast_item) = ::failfast::parallel_loop::items_of(
                            &__failfast_input,
                        ) {
                            ::failfast::parallel_loop::sent_to_workers_concrete(
                                &__failfast_item,
                            );
                        }
                    }
                    (&&&::failfast::parallel_loop::input(&__failfast_input))
                        .__failfast_path()
                        .thread_loop(
                            __failfast_input,
                            ::failfast::__private::default_workers(),
                            &__FAILFAST_SITE,
                            |key| {
                                if ::failfast::__private::always() {
                                    table.get(key)?;
                                }
                                ::failfast::parallel_loop::LoopStep::success()
                            },
                        )
                }
            };
            if let ::core::option::Option::Some(__failfast_outcome) = ::failfast::parallel_loop::FailsThrough::failed(
                __failfast_outcome,
            ) {
                return __failfast_outcome;
            }
        };
    }
    Some(())
}
