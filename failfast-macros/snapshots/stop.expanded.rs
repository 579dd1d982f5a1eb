fn download_all(
    names: &[String],
    stop: &StopToken,
    bucket: &Bucket,
) -> anyhow::Result<()> {
    {
        let () = {
            let __failfast_outcome = match match names {
                __failfast_input => {
                    use ::failfast::parallel_loop::{
                        PulledByCaller as _, SharedByWorkers as _, SplitByIndex as _,
                    };
                    static __FAILFAST_SITE: ::failfast::__private::LoopSite = ::failfast::__private::LoopSite::new();
                    if false {
                        ::failfast::parallel_loop::shared_by_iterations_concrete(
                            (&bucket),
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
                                            __failfast_checks.exit_aliased(&__failfast_inner);
                                        }
                                        if let ::core::option::Option::Some(__failfast_other) = __failfast_other {
                                            __failfast_checks.exit_aliased(&__failfast_other);
                                        }
                                        __failfast_checks.exit_aliased(&__failfast_first);
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
                                            __failfast_checks.exit_aliased(&__failfast_inner);
                                        }
                                        if let ::core::option::Option::Some(__failfast_other) = __failfast_other {
                                            __failfast_checks.exit_aliased(&__failfast_other);
                                        }
                                        __failfast_checks.exit_aliased(&__failfast_second);
                                    }
                                }
                                ::failfast::parallel_loop::sent_back_aliased(
                                    &__failfast_failure,
                                );
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
                        .thread_loop_with(
                            __failfast_input,
                            ::failfast::__private::Loop::new(8)
                                .stop(::failfast::parallel_loop::stop_token(&(stop)))
                                .timeout({
                                    let __failfast_limit: ::core::time::Duration = Duration::from_secs(
                                        600,
                                    );
                                    __failfast_limit
                                }),
                            &__FAILFAST_SITE,
                            |name| {
                                if ::failfast::__private::always() {
                                    bucket.download(name)?;
                                }
                                ::failfast::parallel_loop::LoopStep::success()
                            },
                        )
                }
            } {
                ::core::result::Result::Ok(__failfast_outcome) => __failfast_outcome,
                ::core::result::Result::Err(__failfast_stopped) => {
                    return ::failfast::__private::FromStopped::from_stopped(
                        __failfast_stopped,
                    );
                }
            };
            if let ::core::option::Option::Some(__failfast_outcome) = ::failfast::parallel_loop::FailsThrough::failed(
                __failfast_outcome,
            ) {
                return __failfast_outcome;
            }
        };
    }
    Ok(())
}
async fn fetch_all(urls: &[String], stop: &StopToken, client: &Client) -> Option<()> {
    {
        let () = {
            let __failfast_outcome = {
                match urls {
                    __failfast_input => {
                        let __failfast_input = ::core::iter::IntoIterator::into_iter(
                            __failfast_input,
                        );
                        let mut __failfast_driver = ::failfast::__private::future::Driver::with_stop(
                            __failfast_input,
                            50,
                            ::core::option::Option::Some(
                                ::failfast::parallel_loop::stop_token(&(stop)),
                            ),
                        );
                        loop {
                            if let ::core::option::Option::Some(__failfast_item) = ::failfast::__private::future::Driver::next_item(
                                &mut __failfast_driver,
                            ) {
                                ::failfast::__private::future::Driver::start(
                                    &mut __failfast_driver,
                                    async {
                                        let url = __failfast_item.take();
                                        if ::failfast::__private::always() {
                                            client.get(url).await?;
                                        }
                                        ::failfast::parallel_loop::LoopStep::success()
                                    },
                                );
                            }
                            let __failfast_ended = ::failfast::__private::future::Driver::wait(
                                    &mut __failfast_driver,
                                )
                                .await;
                            if let ::core::option::Option::Some(__failfast_ended) = __failfast_ended {
                                if let ::core::option::Option::Some(__failfast_stopped) = __failfast_driver
                                    .stopped()
                                {
                                    return ::failfast::__private::FromStopped::from_stopped(
                                        __failfast_stopped,
                                    );
                                }
                                break ::failfast::__private::future::Driver::outcome(
                                    &__failfast_driver,
                                    __failfast_ended,
                                );
                            }
                        }
                    }
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
