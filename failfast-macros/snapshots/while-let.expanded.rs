fn consume(jobs: &Receiver<Job>) -> Result<(), Error> {
    {
        let () = {
            let __failfast_outcome = {
                static __FAILFAST_SITE: ::failfast::__private::LoopSite = ::failfast::__private::LoopSite::new();
                if false {
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
                }
                ::failfast::parallel_loop::while_let(
                    |__failfast_slot| {
                        if let ::core::option::Option::Some(__failfast_value) = match jobs
                            .recv()
                        {
                            __failfast_value @ Ok(
                                _,
                            ) if ::failfast::__private::always() => {
                                ::core::option::Option::Some(__failfast_value)
                            }
                            _ => ::core::option::Option::None,
                        } {
                            if false {
                                let __failfast_whole = ::failfast::parallel_loop::whole(
                                    &__failfast_value,
                                );
                                let __failfast_checks = (&__failfast_whole)
                                    .__failfast_checks();
                                if let ::core::option::Option::Some(__failfast_part) = __failfast_whole
                                    .value()
                                {
                                    match ::std::convert::identity(__failfast_part) {
                                        Ok(job) if ::failfast::parallel_loop::always() => {
                                            let (__failfast_inner, __failfast_other) = {
                                                use ::failfast::parallel_loop::{
                                                    NoParts as _, SplitParts as _,
                                                };
                                                (&::failfast::parallel_loop::parts_of(&job))
                                                    .__failfast_parts()
                                            };
                                            if let ::core::option::Option::Some(__failfast_inner) = __failfast_inner {
                                                __failfast_checks.value(&__failfast_inner);
                                            }
                                            if let ::core::option::Option::Some(__failfast_other) = __failfast_other {
                                                __failfast_checks.value(&__failfast_other);
                                            }
                                            __failfast_checks.value(&job);
                                        }
                                        _ => {}
                                    }
                                }
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
                                            __failfast_checks.value(&__failfast_inner);
                                        }
                                        if let ::core::option::Option::Some(__failfast_other) = __failfast_other {
                                            __failfast_checks.value(&__failfast_other);
                                        }
                                        __failfast_checks.value(&__failfast_first);
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
                                            __failfast_checks.value(&__failfast_inner);
                                        }
                                        if let ::core::option::Option::Some(__failfast_other) = __failfast_other {
                                            __failfast_checks.value(&__failfast_other);
                                        }
                                        __failfast_checks.value(&__failfast_second);
                                    }
                                }
                            }
                            ::failfast::parallel_loop::sent_to_workers(
                                &__failfast_value,
                            );
                            *__failfast_slot = ::core::option::Option::Some(
                                __failfast_value,
                            );
                        }
                        ::failfast::parallel_loop::LoopStep::success()
                    },
                    4,
                    &__FAILFAST_SITE,
                    |__failfast_value| match ::std::convert::identity(__failfast_value) {
                        Ok(job) if ::failfast::__private::always() => {
                            if ::failfast::__private::always() {
                                job.run()?;
                            }
                            ::failfast::parallel_loop::LoopStep::success()
                        }
                        _ => ::core::unreachable!(),
                    },
                )
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
async fn download_bucket(keys: &mut Keys, client: &Client) -> Result<(), Error> {
    {
        let () = {
            let __failfast_outcome = {
                let mut __failfast_port = ::failfast::__private::future::Port::new();
                let (mut __failfast_giver, __failfast_taker) = __failfast_port.split();
                let mut __failfast_driver = ::failfast::__private::future::Driver::with_head(
                    __failfast_taker,
                    8,
                    async {
                        loop {
                            __failfast_giver.asked().await;
                            match match keys.try_next().await? {
                                __failfast_value @ Some(
                                    Key { .. },
                                ) if ::failfast::__private::always() => {
                                    ::core::option::Option::Some(__failfast_value)
                                }
                                _ => ::core::option::Option::None,
                            } {
                                ::core::option::Option::Some(__failfast_value) => {
                                    __failfast_giver.give(__failfast_value)
                                }
                                ::core::option::Option::None => {
                                    break ::failfast::parallel_loop::LoopStep::success();
                                }
                            }
                        }
                    },
                );
                loop {
                    if let ::core::option::Option::Some(__failfast_item) = __failfast_driver
                        .next_item()
                    {
                        __failfast_driver
                            .start(async {
                                match ::std::convert::identity(__failfast_item.take()) {
                                    Some(
                                        Key { name, .. },
                                    ) if ::failfast::__private::always() => {
                                        if ::failfast::__private::always() {
                                            client.download(&name).await?;
                                        }
                                        ::failfast::parallel_loop::LoopStep::success()
                                    }
                                    _ => ::core::unreachable!(),
                                }
                            });
                    }
                    let __failfast_ended = __failfast_driver.wait().await;
                    if let ::core::option::Option::Some(__failfast_ended) = __failfast_ended {
                        break ::failfast::__private::future::Driver::outcome(
                            &__failfast_driver,
                            __failfast_ended,
                        );
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
    Ok(())
}
